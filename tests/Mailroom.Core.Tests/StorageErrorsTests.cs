namespace Mailroom.Core.Tests;

public sealed class StorageErrorsTests
{
    [Theory]
    [InlineData(28, true)]  // ENOSPC
    [InlineData(122, true)] // EDQUOT
    [InlineData(5, false)]  // EIO
    [InlineData(13, false)] // EACCES
    public void OnlyAFullDiskOrQuotaIsOutOfSpace(int errno, bool expected)
        => Assert.Equal(expected, StorageErrors.IsOutOfSpace(new IOException("x", errno)));

    [Fact]
    public void AWrappedFullDiskIsFound()
        => Assert.True(StorageErrors.IsOutOfSpace(new InvalidOperationException("outer", new IOException("No space left on device", 28))));

    [Fact]
    public void NoExceptionIsNotOutOfSpace() => Assert.False(StorageErrors.IsOutOfSpace(null));

    [Fact]
    public void ARealFullWriteIsRecognised()
    {
        // /dev/full answers every write with ENOSPC.
        Assert.SkipUnless(File.Exists("/dev/full"), "/dev/full is Linux's");
        using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        IOException full = Assert.ThrowsAny<IOException>(() => stream.Write(new byte[16]));
        Assert.True(StorageErrors.IsOutOfSpace(full), full.ToString());
    }
}

using System.Text;
using Mailroom.Core;

namespace Mailroom.Core.Tests;

public sealed class PrefixedStreamTests
{
    private static readonly byte[] Prefix = "Authentication-Results: x\r\n"u8.ToArray();
    private static readonly byte[] Rest = "Subject: s\r\n\r\nbody\r\n"u8.ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void ThePrefixThenTheRestAreReadWhateverTheBufferSize(int bufferSize)
    {
        using var stream = new PrefixedStream(Prefix, new MemoryStream(Rest));

        Assert.Equal(Encoding.ASCII.GetString([.. Prefix, .. Rest]), ReadAll(stream, bufferSize));
    }

    [Fact]
    public async Task AsyncReadsGiveTheSameBytes()
    {
        await using var stream = new PrefixedStream(Prefix, new MemoryStream(Rest));
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy, 5, TestContext.Current.CancellationToken);

        Assert.Equal([.. Prefix, .. Rest], copy.ToArray());
    }

    [Fact]
    public void ItIsReadOnlyAndForwardOnly()
    {
        using var stream = new PrefixedStream(Prefix, new MemoryStream(Rest));

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(new byte[4], 2, 4));
    }

    [Fact]
    public async Task DisposingItDisposesTheRestSyncOrAsync()
    {
        var first = new MemoryStream(Rest);
        new PrefixedStream(Prefix, first).Dispose();
        var second = new MemoryStream(Rest);
        await new PrefixedStream(Prefix, second).DisposeAsync();

        Assert.False(first.CanRead);
        Assert.False(second.CanRead);
    }

    private static string ReadAll(Stream stream, int bufferSize)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[bufferSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}

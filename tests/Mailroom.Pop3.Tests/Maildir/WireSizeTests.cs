using System.Text;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Tests.Maildir;

public sealed class WireSizeTests : IDisposable
{
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("mailroom-pop3-size-");

    [Theory]
    [InlineData("A: b\r\n\r\nbody\r\n", 14)]
    [InlineData("A: b\n\nbody\n", 14)]
    [InlineData("A: b\r\n\nbody", 14)]
    [InlineData("", 0)]
    public void SizeCountsCrlfLineEndsAndATerminatedLastLine(string content, long expected)
    {
        Assert.Equal(expected, WireSize.Scan(Write(Encoding.ASCII.GetBytes(content))));
    }

    [Fact]
    public void CrlfSplitAcrossReadChunksIsCountedOnce()
    {
        byte[] bytes = new byte[(64 * 1024) + 10];
        bytes.AsSpan().Fill((byte)'x');
        bytes[(64 * 1024) - 1] = (byte)'\r';
        bytes[64 * 1024] = (byte)'\n';
        bytes[^2] = (byte)'\r';
        bytes[^1] = (byte)'\n';
        Assert.Equal(bytes.Length, WireSize.Scan(Write(bytes)));
    }

    [Fact]
    public void TheWFieldOfTheNameIsTakenWithoutReadingTheFile()
    {
        var sizes = new WireSize();
        string missing = Path.Combine(_dir.FullName, "1700000000.M1P2Q3.host,S=10,W=12");
        Assert.Equal(12, sizes.Measure(missing, Path.GetFileName(missing)));
    }

    [Fact]
    public void RemembersSizesByBaseName()
    {
        var sizes = new WireSize();
        string path = Write("a\n"u8.ToArray());
        Assert.Equal(3, sizes.Measure(path, "base"));
        File.Delete(path);
        Assert.Equal(3, sizes.Measure(path, "base"));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

using System.IO.Pipelines;
using System.Text;
using Mailroom.Pop3.Maildir;
using Mailroom.Store;

namespace Mailroom.Pop3.Tests.Maildir;

public sealed class MessageSenderTests : IDisposable
{
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("mailroom-pop3-send-");

    [Fact]
    public async Task LinesStartingWithADotAreStuffedAndBareLineFeedsBecomeCrlf()
    {
        (string wire, long sent) = await SendAsync("Subject: x\n\n.hidden\r\n..two\nlast", -1);
        Assert.Equal("Subject: x\r\n\r\n..hidden\r\n...two\r\nlast\r\n.\r\n", wire);
        Assert.Equal("Subject: x\r\n\r\n.hidden\r\n..two\r\nlast\r\n".Length, sent);
    }

    [Fact]
    public async Task SentOctetsEqualTheMeasuredSize()
    {
        const string content = "A: b\n\nx\r\n.y\nz";
        (_, long sent) = await SendAsync(content, -1);
        Assert.Equal(WireSizeOf(content), sent);
    }

    [Theory]
    [InlineData(0, "A: 1\r\nB: 2\r\n\r\n.\r\n")]
    [InlineData(2, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n")]
    [InlineData(10, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n")]
    public async Task TopSendsTheHeaderTheBlankLineAndTheRequestedBodyLines(long lines, string expected)
    {
        (string wire, _) = await SendAsync("A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", lines);
        Assert.Equal(expected, wire);
    }

    [Fact]
    public async Task LargeMessageIsSentIntactAcrossChunks()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            text.Append(i % 7 == 0 ? ".dot line " : "line ").Append(i).Append(i % 3 == 0 ? "\n" : "\r\n");
        }

        (string wire, long sent) = await SendAsync(text.ToString(), -1, fromFile: true);
        string expected = string.Join("\r\n", text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')
            .Select(l => l.StartsWith('.') ? "." + l : l)) + "\r\n.\r\n";
        Assert.Equal(expected, wire);
        Assert.Equal(WireSizeOf(text.ToString()), sent);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static long WireSizeOf(string content)
    {
        var counter = new WireSizeCounter();
        counter.Add(Encoding.ASCII.GetBytes(content));
        return counter.Total;
    }

    /// <summary>Sends <paramref name="content"/> from memory, or (as the Maildir store opens messages) from an unbuffered file.</summary>
    private async Task<(string Wire, long Sent)> SendAsync(string content, long lines, bool fromFile = false)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var sender = new MessageSender(pipe.Writer, lines);
        using (Stream message = fromFile
            ? new FileStream(WriteFile(content), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0)
            : new MemoryStream(Encoding.ASCII.GetBytes(content)))
        {
            await sender.SendAsync(message, static () => { }, TestContext.Current.CancellationToken);
        }

        await pipe.Writer.CompleteAsync();
        using var output = new MemoryStream();
        await pipe.Reader.CopyToAsync(output, TestContext.Current.CancellationToken);
        return (Encoding.ASCII.GetString(output.ToArray()), sender.Sent);
    }

    private string WriteFile(string content)
    {
        string path = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content, Encoding.ASCII);
        return path;
    }
}

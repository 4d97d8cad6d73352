using System.Text;
using Mailroom.Net.Trace;

namespace Mailroom.Net.Tests.Trace;

public sealed class SessionTraceTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-trace-unit-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ATranscriptStopsAtItsSizeLimitAndSaysSo()
    {
        string path = Path.Combine(_directory, "one.trace");
        using (var trace = new SessionTrace(path, SessionTraceSettings.MinFileSize, TimeProvider.System))
        {
            for (int i = 0; i < 500; i++)
            {
                trace.Client(Encoding.ASCII.GetBytes("NOOP " + new string('x', 40)), -1);
            }
        }

        string[] lines = File.ReadAllLines(path);
        Assert.True(new FileInfo(path).Length <= SessionTraceSettings.MinFileSize, $"{new FileInfo(path).Length} bytes");
        Assert.Equal("# trace cut here: Log:TraceMaxFileSize (4096 bytes) reached", lines[^1]);
        Assert.EndsWith("C: NOOP " + new string('x', 40), lines[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void ATranscriptUnderItsLimitIsNotCut()
    {
        string path = Path.Combine(_directory, "small.trace");
        using (var trace = new SessionTrace(path, SessionTraceSettings.MinFileSize, TimeProvider.System))
        {
            trace.Client("NOOP"u8, -1);
        }

        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void ServerLinesAndLiteralsAreFoundWhereverTheWritesSplitThem()
    {
        byte[] output = "* 1 FETCH (BODY[] {5}\r\nhe\r\no)\r\nx OK done\r\n"u8.ToArray();
        for (int split = 0; split <= output.Length; split++)
        {
            string path = Path.Combine(_directory, $"split{split}.trace");
            using (var trace = new SessionTrace(path, SessionTraceSettings.DefaultMaxFileSize, TimeProvider.System) { SummariseServerLiterals = true })
            {
                trace.Server(output.AsSpan(0, split));
                trace.Server(output.AsSpan(split));
            }

            Assert.Equal(["S: * 1 FETCH (BODY[] {5}", "S: <literal: 5 bytes>", "S: )", "S: x OK done"], Lines(path));
        }
    }

    [Fact]
    public void WithoutLiteralsABraceAtALineEndIsJustText()
    {
        string path = Path.Combine(_directory, "smtp.trace");
        using (var trace = new SessionTrace(path, SessionTraceSettings.DefaultMaxFileSize, TimeProvider.System))
        {
            trace.Server("501 5.5.4 odd {2}\r\n250 2.0.0 Ok\r\n"u8);
        }

        Assert.Equal(["S: 501 5.5.4 odd {2}", "S: 250 2.0.0 Ok"], Lines(path));
    }

    [Fact]
    public void ASummarisedBodyIsCountedNotWritten()
    {
        string path = Path.Combine(_directory, "retr.trace");
        using (var trace = new SessionTrace(path, SessionTraceSettings.DefaultMaxFileSize, TimeProvider.System))
        {
            trace.Server("+OK 12 octets\r\n"u8);
            trace.BeginServerSummary("message body");
            trace.Server("Subject: x\r\n"u8);
            trace.Server(".\r\n"u8);
            trace.EndServerSummary();
            trace.Server("+OK\r\n"u8);
        }

        Assert.Equal(["S: +OK 12 octets", "S: <message body: 15 bytes>", "S: +OK"], Lines(path));
    }

    [Fact]
    public void ControlBytesAreEscapedAndTheSecretPartIsRedacted()
    {
        string path = Path.Combine(_directory, "client.trace");
        using (var trace = new SessionTrace(path, SessionTraceSettings.DefaultMaxFileSize, TimeProvider.System))
        {
            trace.Client("a\tb\0c\rd"u8, -1);
            trace.Client("PASS s3cret"u8, 5);
            trace.Client("PASS"u8, -1);
        }

        Assert.Equal(["C: a\\x09b\\x00c\\x0Dd", "C: PASS <redacted>", "C: PASS"], Lines(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("AUTH PLAIN AGFAYg==", 2, 11)]
    [InlineData("AUTH PLAIN", 2, -1)]
    [InlineData("AUTH PLAIN ", 2, -1)]
    [InlineData("PASS x", 1, 5)]
    [InlineData("a LOGIN user pass", 2, 8)]
    public void AfterWordsFindsWhereTheSecretStarts(string line, int words, int expected) =>
        Assert.Equal(expected, TraceRedaction.AfterWords(Encoding.ASCII.GetBytes(line), words));

    [Theory]
    [InlineData("a login x y", 1, "LOGIN", true)]
    [InlineData("a LOGINX x y", 1, "LOGIN", false)]
    [InlineData("auth plain", 0, "AUTH", true)]
    [InlineData("a", 1, "LOGIN", false)]
    public void WordIsComparesOneWordWithoutCase(string line, int index, string word, bool expected) =>
        Assert.Equal(expected, TraceRedaction.WordIs(Encoding.ASCII.GetBytes(line), index, word));

    private static string[] Lines(string path) =>
        [.. File.ReadAllLines(path).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])];
}

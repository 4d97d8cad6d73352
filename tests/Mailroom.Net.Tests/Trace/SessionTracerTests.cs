using Mailroom.Net.Tests.Support;
using Mailroom.Net.Trace;

namespace Mailroom.Net.Tests.Trace;

public sealed class SessionTracerTests : IDisposable
{
    private readonly string _directory = Path.Combine(System.IO.Directory.CreateTempSubdirectory("mailroom-tracer-").FullName, "trace");

    public void Dispose() => System.IO.Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public async Task AtMostMaxFilesTranscriptsAreKeptTheNewestOnes()
    {
        var tracer = new SessionTracer(new SessionTraceSettings(["127.0.0.1"], _directory, SessionTraceSettings.DefaultMaxFileSize, 3), TimeProvider.System);
        await using var server = await TestServer.StartAsync(new EchoProtocol(), tracer: tracer);
        for (int i = 0; i < 5; i++)
        {
            await using var client = await server.ConnectAsync();
            await client.ReadLineAsync();
            await client.SendAsync($"session{i}\r\nQUIT\r\n");
            Assert.Equal($"250 session{i}", await client.ReadLineAsync());
            await client.ReadLineAsync();
        }

        string[] files = await WaitForFilesAsync(3);
        Assert.Equal(3, files.Length);
        string all = string.Concat(files.Select(ReadShared));
        Assert.DoesNotContain("session0", all, StringComparison.Ordinal);
        Assert.DoesNotContain("session1", all, StringComparison.Ordinal);
        Assert.Contains("C: session4", all, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
    }

    [Fact]
    public async Task AReloadedPeerListAppliesToTheNextSession()
    {
        var tracer = new SessionTracer(SessionTraceSettings.None with { Directory = _directory }, TimeProvider.System);
        Assert.False(tracer.IsActive);
        await using var server = await TestServer.StartAsync(new EchoProtocol(), tracer: tracer);
        await using (var before = await server.ConnectAsync())
        {
            await before.ReadLineAsync();
            await before.SendAsync("before\r\n");
            Assert.Equal("250 before", await before.ReadLineAsync());
            tracer.Reconfigure(new SessionTraceSettings(["127.0.0.0/8"], _directory, SessionTraceSettings.DefaultMaxFileSize, 10));
            await before.SendAsync("still untraced\r\n");
            Assert.Equal("250 still untraced", await before.ReadLineAsync());
        }

        await using (var after = await server.ConnectAsync())
        {
            await after.ReadLineAsync();
            await after.SendAsync("after\r\n");
            Assert.Equal("250 after", await after.ReadLineAsync());
        }

        string file = Assert.Single(await WaitForFilesAsync(1));
        string text = ReadShared(file);
        Assert.Contains("C: after", text, StringComparison.Ordinal);
        Assert.DoesNotContain("before", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsBelowTheBoundsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionTracer(SessionTraceSettings.None with { MaxFileSize = SessionTraceSettings.MinFileSize - 1 }, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionTracer(SessionTraceSettings.None with { MaxFiles = 0 }, TimeProvider.System));
        Assert.True(new SessionTracer(SessionTraceSettings.None with { Peers = ["ann@example.org"], MaxFiles = 1, MaxFileSize = SessionTraceSettings.MinFileSize }, TimeProvider.System).IsActive);
    }

    private async Task<string[]> WaitForFilesAsync(int count)
    {
        for (int i = 0; i < 3000; i++)
        {
            string[] files = System.IO.Directory.Exists(_directory) ? System.IO.Directory.GetFiles(_directory, "*.trace") : [];
            if (files.Length >= count && files.All(f => ReadShared(f).Contains("# connection closed", StringComparison.Ordinal)))
            {
                return files;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return System.IO.Directory.Exists(_directory) ? System.IO.Directory.GetFiles(_directory, "*.trace") : [];
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

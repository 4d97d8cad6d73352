using Mailroom.Pop3.Tests.Support;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class ExternalClientTests
{
    private const string PoplibScript = """
        import poplib, sys
        port = int(sys.argv[1])
        p = poplib.POP3("127.0.0.1", port, timeout=10)
        print(p.getwelcome().decode())
        caps = p.capa()
        print("capa", " ".join(sorted(caps)))
        p.user(sys.argv[2])
        p.pass_(sys.argv[3])
        count, size = p.stat()
        listed = p.list()[1]
        total = 0
        for entry in listed:
            num, octets = entry.decode().split()
            resp, lines, got = p.retr(int(num))
            body = b"".join(line + b"\r\n" for line in lines)
            assert len(body) == int(octets), (num, len(body), octets)
            total += len(body)
        uids = [u.decode().split()[1] for u in p.uidl()[1]]
        print("stat", count, size, "total", total, "uids", len(set(uids)))
        p.dele(1)
        print(p.quit().decode())
        """;

    [Fact]
    public async Task PythonPoplibSeesConsistentSizesAndUniqueIds()
    {
        string python = ExternalTool.Require("python3");
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        long size = 0;
        for (int i = 0; i < 5; i++)
        {
            size += (await server.DeliverAsync(Pop3TestServer.Message(i, ".dot\nline two\n..two dots"))).Size;
        }

        string script = Path.Combine(server.Root, "client.py");
        await File.WriteAllTextAsync(script, PoplibScript, TestContext.Current.CancellationToken);
        var (exit, output, error) = await ExternalTool.RunAsync(python, [script, server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Pop3TestServer.Charlie, "charlie"]);
        Assert.True(exit == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("+OK Mailroom ready.", lines[0]);
        Assert.Equal("capa AUTH-RESP-CODE CAPA IMPLEMENTATION PIPELINING RESP-CODES SASL STLS TOP UIDL USER", lines[1]);
        Assert.Equal($"stat 5 {size} total {size} uids 5", lines[2]);
        Assert.Equal("+OK Logging out, messages deleted.", lines[3]);
    }

    [Fact]
    public async Task FetchmailRetrievesTheMailboxOverStls()
    {
        string fetchmail = ExternalTool.Require("fetchmail");
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(Pop3TestServer.Message(1, "Body one."));
        await server.DeliverAsync(Pop3TestServer.Message(2, ".leading dot"));
        string home = Path.Combine(server.Root, "fetchmail-home");
        System.IO.Directory.CreateDirectory(home);
        string output = Path.Combine(home, "out.mbox");
        string rc = Path.Combine(home, "fetchmailrc");
        await File.WriteAllTextAsync(
            rc,
            $"poll 127.0.0.1 protocol pop3 port {server.EndPoint.Port} uidl:\n" +
            $"  user \"{Pop3TestServer.Charlie}\" password \"charlie\" is tester here\n" +
            $"  sslproto 'TLS1.2+' no sslcertck\n" +
            $"  mda \"/bin/sh -c 'cat >> {output}'\"\n",
            TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // fetchmail refuses a run-control file others can read.
            File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var (exit, stdout, error) = await ExternalTool.RunAsync(
            fetchmail,
            ["-f", rc, "--nodetach", "--nosyslog", "-a", "-v", "-i", Path.Combine(home, "ids")],
            environment: new Dictionary<string, string> { ["HOME"] = home, ["FETCHMAILHOME"] = home });
        Assert.True(exit == 0, stdout + error);
        string mbox = await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);
        Assert.Contains("Subject: Test 1", mbox, StringComparison.Ordinal);
        Assert.Contains("Body one.", mbox, StringComparison.Ordinal);
        Assert.Contains("\n.leading dot", mbox, StringComparison.Ordinal);
        Assert.Contains("STLS", stdout + error, StringComparison.Ordinal);

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.EndsWith(", TLS", log[0], StringComparison.Ordinal);
        Assert.Contains("retr=2/", log[^1], StringComparison.Ordinal);
    }
}

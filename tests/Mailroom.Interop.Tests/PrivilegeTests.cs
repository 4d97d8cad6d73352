using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// DESIGN invariant 6: started as root, <c>serve</c> binds its ports and reads its key, then runs as the service user
/// (<c>Server:User</c>, default <c>mailroom</c>) with its data private to it; admin verbs run as root leave the files
/// to that user. These tests run as root (CI) and skip with the reason otherwise.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivilegeTests
{
    private const string ServiceUser = "mailroom";
    private const string Recipient = "samt@example.org";

    [Fact]
    public async Task ServeStartedAsRootAnswersOnAPortBelow1024AsAnUnprivilegedUser()
    {
        RootOnly.Require("a privilege drop");
        CancellationToken ct = TestContext.Current.CancellationToken;
        int lowPort = FreeLowPort();
        await using MailroomServer server = await MailroomServer.StartAsync([$"Smtp:Port={lowPort}"]);

        Assert.Equal(lowPort, server.SmtpPort);
        (RawSmtpConnection smtp, IReadOnlyList<string> greeting) = await RawSmtpConnection.ConnectAsync(lowPort, ct);
        await using (smtp)
        {
            Assert.StartsWith("220 ", greeting[^1], StringComparison.Ordinal);
        }

        // Every id (real, effective, saved, file system) of every thread: glibc's setxid broadcast reached them all.
        string[] threads = System.IO.Directory.GetDirectories($"/proc/{server.ProcessId}/task");
        Assert.NotEmpty(threads);
        foreach (string thread in threads)
        {
            string[] status = await File.ReadAllLinesAsync(Path.Combine(thread, "status"), ct);
            foreach (string key in (string[])["Uid:", "Gid:"])
            {
                string line = status.Single(l => l.StartsWith(key, StringComparison.Ordinal));
                uint[] ids = line[key.Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
                Assert.Equal(4, ids.Length);
                Assert.All(ids, id => Assert.NotEqual(0u, id));
            }

            Assert.DoesNotContain(status, l => l.StartsWith("Groups:", StringComparison.Ordinal) && l.Split('\t', ' ').Contains("0"));
        }

        Assert.Contains($"running as user {ServiceUser}", server.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUnprivilegedUserCannotReadAMessageTheQueueOrTheDatabase()
    {
        RootOnly.Require("switching to another user");
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MailroomServer server = await MailroomServer.StartAsync(provision: async s =>
        {
            await s.AddDomainAsync("example.org");
            await s.AddUserAsync(Recipient);
        });
        string tag = SharedServer.NewTag("private");
        await SmtpDelivery.SendAsync(server, Recipient, Recipient, tag, "Only for samt.", ct);
        await Maildir.WaitForMessageAsync(server.DataDirectory, Recipient, tag);
        string message = Maildir.Messages(server.DataDirectory, Recipient).Single();
        string database = Path.Combine(server.DataDirectory, "mailroom.db");

        foreach (string file in (string[])[message, database, server.MaillogPath])
        {
            ProcessResult read = await AsNobodyAsync(["cat", file]);
            Assert.True(read.ExitCode != 0, $"nobody read {file}: {read}");
            Assert.Contains("Permission denied", read.StandardError, StringComparison.Ordinal);
        }

        ProcessResult list = await AsNobodyAsync(["ls", server.QueueDirectory]);
        Assert.True(list.ExitCode != 0, $"nobody listed the queue: {list}");

        // Not only the data directory's 0700 keeps it out: the files themselves are private to the service user.
        ProcessResult modes = await ChildProcess.RunAsync("find", [server.DataDirectory, "(", "!", "-user", ServiceUser, "-o", "-perm", "/077", ")", "!", "-type", "l"], cancellationToken: ct);
        Assert.True(modes.ExitCode == 0 && modes.StandardOutput.Length == 0, $"files not private to {ServiceUser}: {modes.StandardOutput}");
    }

    [Fact]
    public async Task AdminVerbsRunAsRootLeaveTheFilesToTheServiceUser()
    {
        RootOnly.Require("a privilege drop");
        await using MailroomServer server = await MailroomServer.StartAsync(provision: s => s.AddDomainAsync("example.org"));

        await server.AddUserAsync(Recipient);
        await server.AddAliasAsync("postmaster@example.org", Recipient);
        await server.AdminAsync("queue", "flush");
        await server.StopAsync();
        await server.AddUserAsync("ann@example.org");

        ProcessResult foreign = await ChildProcess.RunAsync("find", [server.DataDirectory, "!", "-user", ServiceUser], cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(foreign.ExitCode == 0 && foreign.StandardOutput.Length == 0, $"files not owned by {ServiceUser}: {foreign.StandardOutput}");
        ProcessResult users = await server.AdminAsync("user", "list");
        Assert.Contains("ann@example.org", users.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerUserRootKeepsRootAndSaysSo()
    {
        RootOnly.Require("running as root");
        await using MailroomServer server = await MailroomServer.StartAsync(["Server:User=root"]);

        string status = await File.ReadAllTextAsync($"/proc/{server.ProcessId}/status", TestContext.Current.CancellationToken);
        Assert.Contains("\nUid:\t0\t0\t0\t0", status, StringComparison.Ordinal);
        Assert.Contains("running as root, as Server:User=root asks", server.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateOnlyRootCanReadIsReadBeforeTheDropAndServed()
    {
        RootOnly.Require("a root-only certificate");
        CancellationToken ct = TestContext.Current.CancellationToken;

        // As certbot leaves /etc/letsencrypt/live/<name>/: a 0700 directory of root's.
        string live = System.IO.Directory.CreateTempSubdirectory("mailroom-letsencrypt-").FullName;
        try
        {
            string certificate = Path.Combine(live, "fullchain.pem");
            string key = Path.Combine(live, "privkey.pem");
            ProcessResult made = await ExternalTool.RunAsync("openssl",
                ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=root-only.example.org", "-keyout", key, "-out", certificate]);
            Assert.True(made.ExitCode == 0, $"openssl failed: {made}");
            File.SetUnixFileMode(live, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using MailroomServer server = await MailroomServer.StartAsync([$"Net:Tls:CertificateFile={certificate}", $"Net:Tls:KeyFile={key}"]);

            (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
            await using (smtp)
            {
                await smtp.CommandAsync("EHLO client.example.org", ct);
                await smtp.StartTlsAsync(ct);
                Assert.Equal("CN=root-only.example.org", smtp.RemoteCertificate?.Subject);
            }

            Assert.Contains($"user {ServiceUser} cannot read {certificate}", server.RecentOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Reloading the TLS certificate", server.RecentOutput, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(live, recursive: true);
        }
    }

    [Fact]
    public async Task TheReadmeFirstCommandServesFromACloneOnlyRootCanEnter()
    {
        RootOnly.Require("a clone private to root");
        CancellationToken ct = TestContext.Current.CancellationToken;

        // A clone in a 0700 directory of root's (as in /root): the program's own files and ./data are inside it.
        string clone = System.IO.Directory.CreateTempSubdirectory("mailroom-clone-").FullName;
        try
        {
            string app = Path.Combine(clone, "app");
            CopyProgram(AppContext.BaseDirectory, app);
            File.SetUnixFileMode(clone, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using (MailroomServer server = await MailroomServer.StartInAsync(clone, Path.Combine(app, "mailroom.dll")))
            {
                string status = await File.ReadAllTextAsync($"/proc/{server.ProcessId}/status", ct);
                Assert.DoesNotContain("\nUid:\t0", status, StringComparison.Ordinal);
                await server.AdminAsync("domain", "add", "example.org");
                await server.AddUserAsync(Recipient);
                string tag = SharedServer.NewTag("clone");
                await SmtpDelivery.SendAsync(server, Recipient, Recipient, tag, "Delivered by a server whose program it can no longer read.", ct);
                await Maildir.WaitForMessageAsync(server.DataDirectory, Recipient, tag);

                // STARTTLS after the drop: the TLS stack was loaded before it.
                (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
                await using (smtp)
                {
                    await smtp.CommandAsync("EHLO client.example.org", ct);
                    await smtp.StartTlsAsync(ct);
                    Assert.StartsWith("250", (await smtp.CommandAsync("EHLO client.example.org", ct))[^1], StringComparison.Ordinal);
                }

                Assert.Contains($"granted user {ServiceUser} search permission on {clone}", server.RecentOutput, StringComparison.Ordinal);
            }

            ProcessResult program = await AsNobodyAsync(["cat", Path.Combine(app, "mailroom.dll")]);
            Assert.True(program.ExitCode != 0, "another user can still not read the clone");
        }
        finally
        {
            System.IO.Directory.Delete(clone, recursive: true);
        }
    }

    private static Task<ProcessResult> AsNobodyAsync(IEnumerable<string> command)
        => ExternalTool.RunAsync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", .. command]);

    /// <summary>The program and what it loads; 0700 directories, as a clone made by root under umask 077.</summary>
    private static void CopyProgram(string from, string to)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (!relative.EndsWith(".dll", StringComparison.Ordinal) && !relative.EndsWith(".json", StringComparison.Ordinal) && !relative.EndsWith(".so", StringComparison.Ordinal))
            {
                continue;
            }

            string target = Path.Combine(to, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>A port below 1024 that nothing on 127.0.0.1 listens on now (bounded tries).</summary>
    private static int FreeLowPort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int port = Random.Shared.Next(600, 1024);
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port below 1024 on 127.0.0.1");
    }
}

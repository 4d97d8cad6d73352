using System.Net.Sockets;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The real <c>mailroom</c> on a postfixadmin database in MariaDB and in PostgreSQL: the admin verbs create the
/// schema and users, a user whose password postfixadmin stored (<c>doveadm pw</c> hash) receives mail over SMTP and
/// reads it over POP3; with the database cut, SMTP answers <c>451 4.3.0</c> and POP3 <c>[SYS/TEMP]</c>, nothing
/// accepted is lost, and once it is back delivery resumes by itself.
/// </summary>
public sealed class SqlDirectoryInteropTests
{
    // doveadm pw -s SHA512-CRYPT -p pass-SHA512-CRYPT, and a bare md5crypt (doveadm pw -s MD5-CRYPT -p pass-bare).
    private const string LegacyRows = """
        INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, modified, active) VALUES
          ('legacy@example.org', '{SHA512-CRYPT}$6$0hFM3C0.MeGm4abV$2Zh.nZ8MJT2k4t7EllFkdoZe9oVcwfLxL35ohoka.wTwEAp0BHCf48eZwCTpSja3tbm3oC9QdL92qiAJanjiT.', '', 'example.org/legacy/', 0, 'legacy', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
          ('bare@example.org', '$1$nEVgOInM$UIXk3LDlqy1RiIBlpAG9L0', '', 'example.org/bare/', 0, 'bare', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1');
        INSERT INTO alias (address, goto, domain, created, modified, active) VALUES
          ('legacy@example.org', 'legacy@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
          ('bare@example.org', 'bare@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
          ('postmaster@example.org', 'legacy@example.org,bare@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1');
        """;

    [Theory]
    [InlineData("MySql")]
    [InlineData("PostgreSql")]
    public async Task PostfixadminUsersReceiveAndReadMailAndSurviveTheDatabaseGoingAway(string provider)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ExternalDirectoryDatabase database = await ExternalDirectoryDatabase.CreateAsync(provider);
        await using MailroomServer server = await MailroomServer.StartAsync(database.ServerSettings, async s =>
        {
            await s.AdminAsync(["directory", "create-schema", .. database.AdminArguments]);
            await s.AdminAsync(["domain", "add", "example.org", .. database.AdminArguments]);
            ProcessResult added = await s.RunAdminAsync(["user", "add", "alice@example.org", "--password-stdin", "--quota", "10M", .. database.AdminArguments], "alice-pw\n");
            Assert.True(added.ExitCode == 0, added.ToString());
            await database.ExecuteSqlAsync(LegacyRows);
            ProcessResult again = await s.RunAdminAsync(["directory", "create-schema", .. database.AdminArguments]);
            Assert.Equal(1, again.ExitCode);
        });

        await SmtpDelivery.SendAsync(server, "sender@remote.example", "postmaster@example.org", "before", "sent before the cut", ct);
        await SmtpDelivery.SendAsync(server, "sender@remote.example", "alice@example.org", "hello alice", "hi", ct);
        await Maildir.WaitForMessageAsync(server.DataDirectory, "legacy@example.org", "sent before the cut");
        await Maildir.WaitForMessageAsync(server.DataDirectory, "bare@example.org", "sent before the cut");
        await Maildir.WaitForMessageAsync(server.DataDirectory, "alice@example.org", "hello alice");
        Assert.Equal(1, await Pop3CountAsync(server, "legacy@example.org", "pass-SHA512-CRYPT", ct));
        Assert.Equal(1, await Pop3CountAsync(server, "bare@example.org", "pass-bare", ct));
        Assert.Equal(1, await Pop3CountAsync(server, "alice@example.org", "alice-pw", ct));

        database.Relay.Refuse();
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            await smtp.CommandAsync("MAIL FROM:<sender@remote.example>", ct);
            Assert.Equal("451 4.3.0 <legacy@example.org>: Temporary lookup failure", (await smtp.CommandAsync("RCPT TO:<legacy@example.org>", ct))[^1]);
        }

        Assert.StartsWith("-ERR [SYS/TEMP]", await RawPop3LoginAsync(server, "legacy@example.org", "pass-SHA512-CRYPT", ct), StringComparison.Ordinal);

        database.Relay.Restore();
        await SmtpDelivery.SendAsync(server, "sender@remote.example", "legacy@example.org", "after", "sent after the database came back", ct);
        await Maildir.WaitForMessageAsync(server.DataDirectory, "legacy@example.org", "sent after the database came back");
        Assert.Equal(2, await Pop3CountAsync(server, "legacy@example.org", "pass-SHA512-CRYPT", ct));
        Assert.Empty(System.IO.Directory.EnumerateFiles(Path.Combine(server.QueueDirectory, "deferred"), "*", SearchOption.AllDirectories));
    }

    private static async Task<int> Pop3CountAsync(MailroomServer server, string user, string password, CancellationToken ct)
    {
        using var client = new Pop3Client();
        await client.ConnectAsync("127.0.0.1", server.Port("pop3"), SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(user, password, ct);
        int count = client.Count;
        await client.DisconnectAsync(true, ct);
        return count;
    }

    private static async Task<string> RawPop3LoginAsync(MailroomServer server, string user, string password, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port("pop3"), ct);
        using NetworkStream stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await reader.ReadLineAsync(ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"USER {user}\r\n"), ct);
        await reader.ReadLineAsync(ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"PASS {password}\r\n"), ct);
        return (await reader.ReadLineAsync(ct))!;
    }
}

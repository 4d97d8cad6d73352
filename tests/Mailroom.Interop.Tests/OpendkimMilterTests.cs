using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Interop.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// OpenDKIM, Debian's, as the submission milter: a message an authenticated user submits leaves signed by it, and
/// opendkim-testmsg verifies the signature against the key served by dnsmasq.
/// </summary>
public sealed partial class OpendkimMilterTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-opendkim-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ASubmittedMessageIsSignedByOpendkimAndVerifies()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        ProcessResult generated = await ExternalTool.RunAsync("opendkim-genkey", ["-b", "2048", "-D", _directory, "-d", "example.org", "-s", "milter"]);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        string record = string.Concat(Quoted().Matches(await File.ReadAllTextAsync(Path.Combine(_directory, "milter.txt"), ct)).Select(m => m.Groups[1].Value));

        int port = RspamdMilter.FreePort();
        // RequireSafeKeys off: the key lives under /tmp, which OpenDKIM refuses as writable by others.
        string config = Path.Combine(_directory, "opendkim.conf");
        await File.WriteAllTextAsync(config, $"""
            Mode s
            Domain example.org
            Selector milter
            KeyFile {_directory}/milter.private
            Socket inet:{port}@127.0.0.1
            Canonicalization relaxed/simple
            SignatureAlgorithm rsa-sha256
            Syslog no
            PidFile {_directory}/opendkim.pid
            RequireSafeKeys false
            """, ct);
        await using DaemonProcess opendkim = await DaemonProcess.StartAsync("opendkim", ["-f", "-x", config], port, TimeSpan.FromSeconds(60));

        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Smtp:SubmissionMilters:0:Address=inet:127.0.0.1:{port}"],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync("alice@example.org");
                await s.AddUserAsync("bob@example.org");
            });

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@example.org"));
        message.To.Add(MailboxAddress.Parse("bob@example.org"));
        message.Subject = "signed by opendkim";
        message.Body = new TextPart("plain") { Text = "Hello Bob,\nthis leaves signed.\n" };
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, LocalDomain = "client.example.org", Timeout = 30_000 })
        {
            await client.ConnectAsync("127.0.0.1", server.SubmissionPort, SecureSocketOptions.StartTls, ct);
            await client.AuthenticateAsync("alice@example.org", MailroomServer.Password, ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
        }

        string delivered = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(server.DataDirectory, "bob@example.org", "signed by opendkim", TimeSpan.FromSeconds(60)));
        Assert.True(Signature().IsMatch(delivered), $"no OpenDKIM signature in:\n{delivered}\nopendkim said:\n{opendkim.Output}");

        await using TestDnsServer dns = new TestDnsServer().Txt("milter._domainkey.example.org", record);
        ProcessResult verified = await dns.RunIsolatedAsync($"{ExternalTool.Require("opendkim-testmsg")} -C", delivered);
        Assert.True(verified.ExitCode == 0 && verified.StandardOutput.Length == 0, verified.ToString());
    }

    [GeneratedRegex(@"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=example\.org;\s+s=milter;")]
    private static partial Regex Signature();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}

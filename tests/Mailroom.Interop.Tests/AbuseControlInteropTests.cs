using System.Globalization;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// Issue 17's defences against real software: a blocklist and an allowlist served by dnsmasq, swaks as the listed and
/// unlisted clients; a Python client that talks before the greeting; smtplib submitting past a user's hourly limit.
/// </summary>
public sealed class AbuseControlInteropTests
{
    /// <summary>A client that sends EHLO the moment it connects, then smtplib, which waits for the whole greeting.</summary>
    private const string PregreetScript = """
        import smtplib, socket, sys
        port = int(sys.argv[1])
        s = socket.create_connection(("127.0.0.1", port), timeout=15)
        s.sendall(b"EHLO pregreet.test\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        print("early:", data.decode("ascii", "replace").replace("\r\n", " | "))
        c = smtplib.SMTP("127.0.0.1", port, timeout=15)
        code, _ = c.ehlo("patient.test")
        print("patient:", code)
        c.quit()
        """;

    /// <summary>Sends <c>count</c> messages as one user on submission (STARTTLS, AUTH); prints each outcome.</summary>
    private const string SubmitScript = """
        import smtplib, ssl, sys
        port, user, password, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = smtplib.SMTP("127.0.0.1", port, timeout=15)
        s.starttls(context=ctx)
        s.login(user, password)
        for i in range(count):
            msg = f"From: <{user}>\r\nTo: <samt@example.org>\r\nSubject: limit {i}\r\n\r\nmessage {i}\r\n"
            try:
                s.sendmail(user, ["samt@example.org"], msg)
                print("sent", i)
            except smtplib.SMTPSenderRefused as e:
                print("refused", i, e.smtp_code, e.smtp_error.decode())
        s.quit()
        """;

    [Fact]
    public async Task ABlocklistServedByDnsmasqRefusesAListedClientAndAnAllowlistRescuesAnother()
    {
        await using TestDnsServer dns = await new TestDnsServer()
            .Address("2.0.0.127.bl.test", "127.0.0.2")
            .Txt("2.0.0.127.bl.test", "Blocked, see https://bl.test/lookup?127.0.0.2")
            .Address("3.0.0.127.bl.test", "127.0.0.2")
            .Address("3.0.0.127.wl.test", "127.0.0.2")
            .StartAsync();
        await using MailroomServer server = await MailroomServer.StartAsync(
            [
                "Smtp:TrustedNetworks=", "Dnsbl:Sites:0=bl.test=127.0.0.[2..11]", "Dnsbl:Sites:1=wl.test=127.0.0.2*-2",
                $"Dns:Servers:0={dns.Server}", "Dns:Timeout=00:00:05", "Dns:Retries=2",
            ],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync("samt@example.org");
            });

        ProcessResult listed = await SwaksFromAsync(server, "127.0.0.2");
        ProcessResult allowlisted = await SwaksFromAsync(server, "127.0.0.3");
        ProcessResult unlisted = await SwaksFromAsync(server, "127.0.0.4");

        Assert.Contains("<** 554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.test; Blocked, see https://bl.test/lookup?127.0.0.2", listed.StandardOutput, StringComparison.Ordinal);
        Assert.True(allowlisted.ExitCode == 0, allowlisted.ToString());
        Assert.True(unlisted.ExitCode == 0, unlisted.ToString());
        await server.WaitForMaillogLineAsync(@"mailroom/postscreen\[\d+\]: DNSBL rank 1 for \[127\.0\.0\.2\] \(bl\.test\)$");
        await server.WaitForMaillogLineAsync(@"mailroom/postscreen\[\d+\]: DNSBL rank -1 for \[127\.0\.0\.3\] \(bl\.test, wl\.test\)$");
        await server.WaitForMaillogLineAsync(@"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.2\]: 554 5\.7\.1 Service unavailable; client \[127\.0\.0\.2\] blocked using bl\.test");
    }

    [Fact]
    public async Task AClientThatTalksBeforeTheGreetingIsRefusedAndLoggedWhileSmtplibIsServed()
    {
        await using MailroomServer server = await MailroomServer.StartAsync(["Smtp:TrustedNetworks=", "Smtp:GreetDelay=00:00:01"]);

        ProcessResult result = await DebianPython.RunAsync(PregreetScript, [server.SmtpPort.ToString(CultureInfo.InvariantCulture)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"early: 220-{MailroomServer.HostName} ESMTP Mailroom | 554 5.5.1 Protocol error |", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("patient: 250", result.StandardOutput, StringComparison.Ordinal);
        await server.WaitForMaillogLineAsync(@"mailroom/postscreen\[\d+\]: PREGREET 20 after \d+\.\d\d from \[127\.0\.0\.1\]:\d+: EHLO pregreet\.test\\r\\n$");
    }

    [Fact]
    public async Task ASubmissionUserPastTheirHourlyLimitGets450WhileAnotherUserIsUnaffected()
    {
        await using MailroomServer server = await MailroomServer.StartAsync(
            ["SendingLimits:UserMessagesPerHour=5"],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync("samt@example.org");
                await s.AddUserAsync("ann@example.org");
                await s.AddUserAsync("bob@example.org");
                await s.AdminAsync("user", "limits", "ann@example.org", "--messages", "2");
            });

        ProcessResult ann = await SubmitAsync(server, "ann@example.org", 3);
        ProcessResult bob = await SubmitAsync(server, "bob@example.org", 3);

        Assert.Contains("sent 1", ann.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("refused 2 450 4.7.1 Error: too much mail from ann@example.org", ann.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sent 2", bob.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", bob.StandardOutput, StringComparison.Ordinal);
        await server.WaitForMaillogLineAsync(@"mailroom/smtpd\[\d+\]: warning: Message delivery request rate limit exceeded: 2 per hour for sasl_username=ann@example\.org from localhost\[127\.0\.0\.1\] for service submission$");

        ProcessResult limits = await server.AdminAsync("limits");
        Assert.Matches(@"(?m)^ann@example\.org\s+user\s+messages\s+2\s+2\s*$", limits.StandardOutput);
        Assert.Matches(@"(?m)^bob@example\.org\s+user\s+messages\s+3\s+5\s*$", limits.StandardOutput);
    }

    private static Task<ProcessResult> SwaksFromAsync(MailroomServer server, string source) =>
        ExternalTool.RunAsync("swaks",
        [
            "--server", "127.0.0.1", "--port", server.SmtpPort.ToString(CultureInfo.InvariantCulture), "--local-interface", source,
            "--helo", "client.example.net", "--from", "sender@remote.test", "--to", "samt@example.org", "--timeout", "15",
        ]);

    private static async Task<ProcessResult> SubmitAsync(MailroomServer server, string user, int count)
    {
        ProcessResult result = await DebianPython.RunAsync(SubmitScript, [server.SubmissionPort.ToString(CultureInfo.InvariantCulture), user, MailroomServer.Password, count.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}

using System.Globalization;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>Postfix's smtp-source, the load generator admins point at mail servers.</summary>
public sealed class SmtpSourceTests
{
    [Fact]
    public async Task FiftySessionsReconnectingAtAPerIpLimitOfFiftyAreNeverRefused()
    {
        // The review's finding: smtp-source -s 50 against the default per-IP limit of 50 was refused at the banner,
        // because a session that had said 221 still held its slot when the client reconnected. Loopback is counted
        // here (its exemptions cleared) so the limit applies to the test client.
        await using MailroomServer server = await MailroomServer.StartAsync(
            ["Net:MaxConnectionsPerIp=50", "Net:ConnectionLimitExemptions=", "Smtp:TrustedNetworks="],
            async s =>
            {
                await s.AddDomainAsync(SharedServer.Domain);
                await s.AddUserAsync(SharedServer.Samt);
            });

        ProcessResult result = await ExternalTool.RunAsync(
            "smtp-source",
            ["-s", "50", "-m", "300", "-f", "load@example.net", "-t", SharedServer.Samt, "127.0.0.1:" + server.SmtpPort.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, $"smtp-source failed: {result}");
        Assert.DoesNotContain("421", result.StandardError, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(
            () => Maildir.Messages(server.DataDirectory, SharedServer.Samt).Count == 300,
            TimeSpan.FromSeconds(60),
            "all 300 messages delivered");
    }
}

using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>DESIGN invariant 2: never an open relay, checked against the real program with loopback untrusted.</summary>
public sealed class RelayTests
{
    [Fact]
    public async Task RelayToRemoteDomainIsRefusedForAnUntrustedClientAndLoggedAsNoqueueReject()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MailroomServer server = await MailroomServer.StartAsync(
            ["Smtp:TrustedNetworks="],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync("samt@example.org");
            });

        var (smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.net", ct);
            Assert.Equal(["250 2.1.0 Ok"], await smtp.CommandAsync("MAIL FROM:<samt@example.org>", ct));
            Assert.Equal(["554 5.7.1 <x@remote.example>: Relay access denied"], await smtp.CommandAsync("RCPT TO:<x@remote.example>", ct));
            // The refusal is for relaying only: a local recipient in the same transaction is still accepted.
            Assert.Equal(["250 2.1.5 Ok"], await smtp.CommandAsync("RCPT TO:<samt@example.org>", ct));
            Assert.Equal(["221 2.0.0 Bye"], await smtp.CommandAsync("QUIT", ct));
        }

        string line = await server.WaitForMaillogLineAsync(@"NOQUEUE: reject: RCPT from ");
        Assert.Matches(@"mailroom/smtpd\[\d+\]: NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 554 5\.7\.1 <x@remote\.example>: Relay access denied", line);
    }
}

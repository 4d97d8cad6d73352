using System.Net;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Policy.Limits;
using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>Hourly sending limits of authenticated sessions: per user, per client address, with the directory's override.</summary>
public sealed class SendingLimitTests
{
    [Fact]
    public async Task AUserPastTheHourlyMessageLimitGets450WhileAnotherUserIsUnaffected()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { UserMessagesPerHour = 2 });
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");
        await using RawClient alice = await LoggedInAsync(server, "alice@example.org", "wonderland");

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
            Assert.Equal("250 2.0.0 Ok", await samt.CommandAsync("RSET"));
        }

        Assert.Equal("450 4.7.1 Error: too much mail from samt@example.org", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("250 2.1.0 Ok", await alice.CommandAsync("MAIL FROM:<alice@example.org>"));
        IReadOnlyList<string> log = server.Logs.Lines(MaillogCategories.Smtpd);
        Assert.Contains("warning: Message delivery request rate limit exceeded: 2 per hour for sasl_username=samt@example.org from localhost[127.0.0.2] for service smtp", log);
        Assert.Contains("NOQUEUE: reject: MAIL from localhost[127.0.0.2]: 450 4.7.1 Error: too much mail from samt@example.org; from=<samt@example.org> proto=ESMTP helo=<c.example>", log);
    }

    [Fact]
    public async Task AUserPastTheHourlyRecipientLimitGets450ForTheNextRecipientOnly()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { UserRecipientsPerHour = 2 });
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");

        Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await samt.CommandAsync("RCPT TO:<alice@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await samt.CommandAsync("RCPT TO:<bob@remote.example>"));

        Assert.Equal("450 4.7.1 Error: too many recipients from samt@example.org", await samt.CommandAsync("RCPT TO:<carol@remote.example>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await samt.CommandAsync("DATA"));
    }

    [Fact]
    public async Task AUsersOwnLimitInTheDirectoryOverridesTheDefault()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { UserMessagesPerHour = 100 });
        server.Directory.SendingLimits["samt@example.org"] = new UserSendingLimits(1, null);
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");

        Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("250 2.0.0 Ok", await samt.CommandAsync("RSET"));
        Assert.Equal("450 4.7.1 Error: too much mail from samt@example.org", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
    }

    [Fact]
    public async Task AnUnlimitedUserInTheDirectoryIsNeverRefused()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { UserMessagesPerHour = 1 });
        server.Directory.SendingLimits["samt@example.org"] = new UserSendingLimits(0, 0);
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
            Assert.Equal("250 2.0.0 Ok", await samt.CommandAsync("RSET"));
        }
    }

    [Fact]
    public async Task OneClientAddressLoggingInAsSeveralUsersMeetsTheClientLimit()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { ClientMessagesPerHour = 1 });
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");
        await using RawClient alice = await LoggedInAsync(server, "alice@example.org", "wonderland");

        Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("450 4.7.1 Error: too much mail from 127.0.0.2", await alice.CommandAsync("MAIL FROM:<alice@example.org>"));
    }

    [Fact]
    public async Task ATrustedNetworkIsExemptFromTheClientLimitButNotFromTheUserLimit()
    {
        await using SmtpTestServer server = await StartAsync(new SendingLimitsOptions { ClientMessagesPerHour = 1, UserMessagesPerHour = 2 }, trusted: true);
        await using RawClient samt = await LoggedInAsync(server, "samt@example.org", "secret");

        Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("250 2.0.0 Ok", await samt.CommandAsync("RSET"));
        Assert.Equal("250 2.1.0 Ok", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
        Assert.Equal("250 2.0.0 Ok", await samt.CommandAsync("RSET"));
        Assert.Equal("450 4.7.1 Error: too much mail from samt@example.org", await samt.CommandAsync("MAIL FROM:<samt@example.org>"));
    }

    [Fact]
    public async Task AnUnauthenticatedSessionOnPort25IsNotCounted()
    {
        var limiter = new SendingRateLimiter(new SendingLimitsOptions { ClientMessagesPerHour = 1 }, TimeProvider.System);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.TrustedNetworks.Clear(), abuse: new SmtpAbuseControls(null, limiter));
        await using RawClient client = await ErrorPathTests.Greeted(server);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<friend@remote.example>"));
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        }

        Assert.Equal(0, limiter.TrackedCount);
    }

    internal static string Plain(string user, string password) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    private static Task<SmtpTestServer> StartAsync(SendingLimitsOptions limits, bool trusted = false) =>
        SmtpTestServer.StartAsync(
            SmtpListenerRole.Submission,
            o =>
            {
                o.AllowPlaintextAuth = true;
                o.TrustedNetworks.Clear();
                if (trusted)
                {
                    o.TrustedNetworks.Add("127.0.0.2/32");
                }
            },
            abuse: new SmtpAbuseControls(null, new SendingRateLimiter(limits, TimeProvider.System)));

    private static async Task<RawClient> LoggedInAsync(SmtpTestServer server, string user, string password)
    {
        RawClient client = await server.ConnectFromAsync(IPAddress.Parse("127.0.0.2"));
        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO c.example"), StringComparison.Ordinal);
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + Plain(user, password)));
        return client;
    }
}

using System.Net;
using Mailroom.Smtp.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>The attacks of the security review (issue 13) on SMTP: each test performs one.</summary>
public sealed class HardeningTests
{
    private static readonly IPAddress s_attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task AnAuthenticatedSessionOnPort25CannotSendAsAnotherUser()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.AllowPlaintextAuth = true);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));

        Assert.Equal("553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user samt@example.org", await client.CommandAsync("MAIL FROM:<alice@example.org>"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<sam.t@example.org>"));
    }

    [Fact]
    public async Task AnUnauthenticatedSessionOnPort25StillDeliversMailFromAnySender()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<alice@example.org>"));
    }

    [Fact]
    public async Task WithSenderLoginMatchOffAnAuthenticatedSessionMaySendAsAnyone()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o =>
        {
            o.AllowPlaintextAuth = true;
            o.SenderLoginMatch = false;
        });
        await using RawClient client = await ErrorPathTests.Greeted(server);
        await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret"));

        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<alice@example.org>"));
    }

    [Fact]
    public async Task TwentyWrongPasswordsFromOneAddressDoNotLockTheUserOut()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            SmtpListenerRole.Mta,
            o =>
            {
                o.AllowPlaintextAuth = true;
                o.MaxErrors = 100;
            },
            time: time);
        await using RawClient attacker = await GreetedFrom(server, s_attacker);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("535 5.7.8 Error: authentication failed", await CommandAdvancingAsync(attacker, "AUTH PLAIN " + Plain("samt@example.org", "guess" + i), time));
        }

        // The user's own address has not failed: the right password succeeds at once (no time passes).
        await using RawClient user = await ErrorPathTests.Greeted(server);
        Assert.Equal("235 2.7.0 Authentication successful", await user.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));

        // From the failing address it succeeds too, after the penalty delay.
        Assert.Equal("235 2.7.0 Authentication successful", await CommandAdvancingAsync(attacker, "AUTH PLAIN " + Plain("samt@example.org", "secret"), time));
    }

    [Fact]
    public async Task ASubmissionClientThatNeverAuthenticatesIsCutAtTheLoginDeadline()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        // Complete commands every 25 s keep every command deadline, but not the login's.
        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        }

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("421 4.4.2 mx.example.org Error: timeout exceeded", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task AfterAuthTheSubmissionLoginDeadlineNoLongerApplies()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            SmtpListenerRole.Submission,
            o =>
            {
                o.AllowPlaintextAuth = true;
                o.LoginTimeout = TimeSpan.FromSeconds(60);
            },
            time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + Plain("samt@example.org", "secret")));

        for (int i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        }
    }

    [Fact]
    public async Task Port25HasNoLoginDeadline()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        for (int i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        }
    }

    [Fact]
    public async Task ACommandTrickledOneByteEveryTenSecondsIsCutAtTheCommandDeadline()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.IdleTimeout = TimeSpan.FromSeconds(30), time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);

        string reply = await TrickleUntilAnsweredAsync(client, time, out Task<int> rounds);

        Assert.Equal("421 4.4.2 mx.example.org Error: timeout exceeded", reply);
        Assert.InRange(await rounds, 3, 5);
    }

    [Fact]
    public async Task DataTrickledBelowTheMinimumRateIsCut()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            SmtpListenerRole.Mta,
            o =>
            {
                o.IdleTimeout = TimeSpan.FromSeconds(30);
                o.MinDataRate = 1;
            },
            time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        await client.CommandAsync("RCPT TO:<samt@example.org>");
        Assert.StartsWith("354 ", await client.CommandAsync("DATA"), StringComparison.Ordinal);

        // One byte per 10 s earns 1 s per byte at 1 byte/s: the 30 s deadline comes after a few bytes, where a
        // per-read timeout would let the transfer live forever.
        string reply = await TrickleUntilAnsweredAsync(client, time, out Task<int> rounds);

        Assert.Equal("421 4.4.2 mx.example.org Error: timeout exceeded", reply);
        Assert.InRange(await rounds, 3, 6);
        Assert.Empty(server.Submitter.Committed);
    }

    [Fact]
    public async Task DataArrivingAtTheMinimumRateOutlivesTheIdleTimeout()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(
            SmtpListenerRole.Mta,
            o =>
            {
                o.IdleTimeout = TimeSpan.FromSeconds(30);
                o.MinDataRate = 1;
            },
            time: time);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        await client.CommandAsync("RCPT TO:<samt@example.org>");
        await client.CommandAsync("DATA");

        for (int i = 0; i < 6; i++)
        {
            await client.SendAsync("X-Pad: 0123456789\r\n");
            await Task.Delay(50, TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync("\r\n."), StringComparison.Ordinal);
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    private static async Task<RawClient> GreetedFrom(SmtpTestServer server, IPAddress source)
    {
        RawClient client = await server.ConnectFromAsync(source);
        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO c.example"), StringComparison.Ordinal);
        return client;
    }

    /// <summary>Sends a command and moves the fake clock on (bounded) until its reply comes: the login penalty delays it.</summary>
    private static async Task<string> CommandAdvancingAsync(RawClient client, string line, FakeTimeProvider time)
    {
        Task<string> reply = client.CommandAsync(line);
        for (int i = 0; i < 200 && !reply.IsCompleted; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        return await reply;
    }

    /// <summary>Sends one byte per 10 s of fake time until the server speaks (at most 20 bytes); returns what it said.</summary>
    private static Task<string> TrickleUntilAnsweredAsync(RawClient client, FakeTimeProvider time, out Task<int> rounds)
    {
        var counted = new TaskCompletionSource<int>();
        rounds = counted.Task;
        return RunAsync();

        async Task<string> RunAsync()
        {
            Task<string?> reply = client.ReadLineAsync();
            int round = 0;
            for (; round < 20 && !reply.IsCompleted; round++)
            {
                await client.SendAsync("x");
                await Task.Delay(50, TestContext.Current.CancellationToken);
                time.Advance(TimeSpan.FromSeconds(10));
                await Task.WhenAny(reply, Task.Delay(50, TestContext.Current.CancellationToken));
            }

            counted.SetResult(round);
            return await reply ?? "(closed)";
        }
    }
}

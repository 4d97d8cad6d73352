using System.Net;
using Mailroom.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Directory.Tests;

public sealed class LoginGateTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public async Task GoodCredentialsSucceedWithTheCanonicalName()
    {
        LoginGate gate = Gate(new ScriptedDirectory(), out _);
        LoginOutcome outcome = await gate.LoginAsync(Client, "Samt@Example.org", "secret", TestContext.Current.CancellationToken);
        Assert.Equal(LoginStatus.Succeeded, outcome.Status);
        Assert.Equal("samt@example.org", outcome.UserName);
    }

    [Fact]
    public async Task EmptyPasswordFailsWithoutAskingTheDirectory()
    {
        var directory = new ScriptedDirectory();
        LoginOutcome outcome = await Gate(directory, out _).LoginAsync(Client, "samt@example.org", "", TestContext.Current.CancellationToken);
        Assert.Equal(LoginStatus.Failed, outcome.Status);
        Assert.Equal(0, directory.Calls);
    }

    [Fact]
    public async Task AUserNameLongerThanAnyAddressFailsWithoutAskingTheDirectory()
    {
        var directory = new ScriptedDirectory();
        LoginGate gate = Gate(directory, out _);
        string longest = new string('a', 64) + "@" + new string('b', 255);

        await gate.LoginAsync(Client, longest, "secret", TestContext.Current.CancellationToken);
        Assert.Equal(1, directory.Calls);
        LoginOutcome outcome = await gate.LoginAsync(Client, longest + "b", "secret", TestContext.Current.CancellationToken);

        Assert.Equal(LoginStatus.Failed, outcome.Status);
        Assert.Equal(1, directory.Calls);
    }

    [Fact]
    public async Task AnUnavailableDirectoryIsATemporaryFailureNotARejection()
    {
        var directory = new ScriptedDirectory { Down = true };
        LoginGate gate = Gate(directory, out AuthFailureThrottle throttle);
        LoginOutcome outcome = await gate.LoginAsync(Client, "samt@example.org", "secret", TestContext.Current.CancellationToken);
        Assert.Equal(LoginStatus.Unavailable, outcome.Status);
        Assert.NotNull(outcome.Error);
        // An outage is not the user's fault: it must not count towards blocking them.
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(Client, "samt@example.org"));
    }

    [Fact]
    public async Task RepeatedFailuresBlockTheClientWithoutCheckingPasswords()
    {
        var directory = new ScriptedDirectory();
        LoginGate gate = Gate(directory, out _);
        CancellationToken ct = TestContext.Current.CancellationToken;
        Assert.Equal(LoginStatus.Failed, (await gate.LoginAsync(Client, "samt@example.org", "wrong", ct)).Status);
        Assert.Equal(LoginStatus.Failed, (await gate.LoginAsync(Client, "samt@example.org", "wrong", ct)).Status);
        int calls = directory.Calls;

        LoginOutcome blocked = await gate.LoginAsync(Client, "samt@example.org", "secret", ct);

        Assert.Equal(LoginStatus.Blocked, blocked.Status);
        Assert.Equal(calls, directory.Calls);
    }

    [Fact]
    public async Task TwentyWrongPasswordsFromOneAddressLeaveTheUserFreeToLogInFromAnother()
    {
        var time = new FakeTimeProvider();
        LoginGate gate = DefaultGate(new ScriptedDirectory(), time);
        IPAddress attacker = IPAddress.Parse("127.0.0.2");
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(LoginStatus.Failed, (await CompleteAsync(gate.LoginAsync(attacker, "samt@example.org", "guess" + i, TestContext.Current.CancellationToken), time)).Status);
        }

        // The real user's address has not failed: the right password succeeds at once, without any time passing.
        ValueTask<LoginOutcome> user = gate.LoginAsync(IPAddress.Parse("127.0.0.1"), "samt@example.org", "secret", TestContext.Current.CancellationToken);

        Assert.True(user.IsCompleted);
        Assert.Equal(LoginStatus.Succeeded, (await user).Status);
    }

    [Fact]
    public async Task FromTheFailingAddressTheRightPasswordSucceedsAfterThePenaltyDelay()
    {
        var time = new FakeTimeProvider();
        LoginGate gate = DefaultGate(new ScriptedDirectory(), time);
        IPAddress attacker = IPAddress.Parse("127.0.0.2");
        for (int i = 0; i < 20; i++)
        {
            await CompleteAsync(gate.LoginAsync(attacker, "samt@example.org", "guess" + i, TestContext.Current.CancellationToken), time);
        }

        Task<LoginOutcome> login = gate.LoginAsync(attacker, "samt@example.org", "secret", TestContext.Current.CancellationToken).AsTask();
        Assert.False(login.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(login.IsCompleted);

        // Net:AuthThrottle:MaxDelay (15 s) is the penalty after 20 failures; then the password is checked as usual.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoginStatus.Succeeded, (await login.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task AUserUnderAttackFromManyAddressesIsNeverRefused()
    {
        var time = new FakeTimeProvider();
        LoginGate gate = DefaultGate(new ScriptedDirectory(), time);
        for (int i = 0; i < 60; i++)
        {
            await CompleteAsync(gate.LoginAsync(IPAddress.Parse($"198.51.100.{i + 1}"), "samt@example.org", "guess", TestContext.Current.CancellationToken), time);
        }

        ValueTask<LoginOutcome> user = gate.LoginAsync(IPAddress.Parse("192.0.2.99"), "samt@example.org", "secret", TestContext.Current.CancellationToken);

        Assert.True(user.IsCompleted);
        Assert.Equal(LoginStatus.Succeeded, (await user).Status);
    }

    /// <summary>Drives a login through its penalty delay by advancing the fake clock (bounded).</summary>
    private static async Task<LoginOutcome> CompleteAsync(ValueTask<LoginOutcome> login, FakeTimeProvider time)
    {
        Task<LoginOutcome> task = login.AsTask();
        for (int i = 0; i < 100 && !task.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private static LoginGate DefaultGate(IMailDirectory directory, FakeTimeProvider time) =>
        new(directory, new AuthFailureThrottle(Options.Create(new NetOptions()), time), time);

    private static LoginGate Gate(IMailDirectory directory, out AuthFailureThrottle throttle)
    {
        var time = new FakeTimeProvider();
        var options = new NetOptions();
        options.AuthThrottle.FreeFailures = 5;
        options.AuthThrottle.BlockAfter = 2;
        throttle = new AuthFailureThrottle(Options.Create(options), time);
        return new LoginGate(directory, throttle, time);
    }

    private sealed class ScriptedDirectory : IMailDirectory
    {
        public bool Down { get; init; }

        public int Calls { get; private set; }

        public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
            ValueTask.FromResult(RecipientResolution.Unknown);

        public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
        {
            Calls++;
            if (Down)
            {
                throw new DirectoryUnavailableException("database is locked");
            }

            return ValueTask.FromResult(password == "secret" ? new AuthenticationResult(true, userName.ToLowerInvariant()) : AuthenticationResult.Failed);
        }
    }
}

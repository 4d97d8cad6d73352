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

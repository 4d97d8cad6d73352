using System.Collections.Concurrent;
using Mailroom.Directory.Admin;
using Mailroom.Directory.Passwords;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>
/// A hash from the database is data: absurd parameters are refused and logged, not run for minutes (issue 13); the
/// password a client sends is bounded too. Both sides of each limit.
/// </summary>
public sealed class HashCostLimitTests
{
    private const string ShaCrypt5000 = "{SHA256-CRYPT}$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5";
    private const string Argon2m1024 = "{ARGON2ID}$argon2id$v=19$m=1024,t=2,p=2$bWFpbHJvb21zYWx0MTZieQ$k8d5cfIuZQopTzFC54vAYe72JrDUvtHCwpfR809sJYk";

    private readonly ListLogger _log = new();

    [Fact]
    public void ShaCryptWithAbsurdRoundsIsRefusedWithoutRunning()
    {
        string stored = "{SHA512-CRYPT}$6$rounds=999999999$saltsalt$" + new string('a', 86);

        Assert.False(Schemes().Verify("secret", stored));

        Assert.Contains("SHA512-CRYPT password hash asks for rounds=999999999, over Directory:PasswordLimits:MaxShaCryptRounds (1000000)", Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void ShaCryptAtTheRoundLimitVerifiesAndOneRoundOverIsRefused()
    {
        Assert.True(Schemes(l => l.MaxShaCryptRounds = 5000).Verify("This is just a test", ShaCrypt5000));
        Assert.False(Schemes(l => l.MaxShaCryptRounds = 4999).Verify("This is just a test", ShaCrypt5000));
        Assert.Contains("rounds=5000", Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void BcryptCost31IsRefusedWithoutRunning()
    {
        string stored = "{BLF-CRYPT}$2y$31$" + new string('a', 53);

        Assert.False(Schemes().Verify("secret", stored));

        Assert.Contains("asks for cost=31, over Directory:PasswordLimits:MaxBcryptCost (14)", Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void BcryptAtTheCostLimitVerifiesAndOneOverIsRefused()
    {
        string cost5 = "{BLF-CRYPT}" + BCrypt.Net.BCrypt.HashPassword("secret", BCrypt.Net.BCrypt.GenerateSalt(5, 'y'));

        Assert.True(Schemes(l => l.MaxBcryptCost = 5).Verify("secret", cost5));
        Assert.False(Schemes(l => l.MaxBcryptCost = 4).Verify("secret", cost5));
    }

    [Theory]
    [InlineData("m=4194304,t=2,p=1", "m=4194304, over Directory:PasswordLimits:MaxArgon2MemoryKib")]
    [InlineData("m=1024,t=1000,p=1", "t=1000, over Directory:PasswordLimits:MaxArgon2Iterations")]
    [InlineData("m=1024,t=2,p=64", "p=64, over Directory:PasswordLimits:MaxArgon2Parallelism")]
    public void Argon2WithAbsurdParametersIsRefusedWithoutRunning(string parameters, string logged)
    {
        string stored = "{ARGON2ID}$argon2id$v=19$" + parameters + "$bWFpbHJvb21zYWx0MTZieQ$k8d5cfIuZQopTzFC54vAYe72JrDUvtHCwpfR809sJYk";

        Assert.False(Schemes().Verify("secret", stored));

        Assert.Contains(logged, Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Argon2AtTheLimitsVerifiesAndOneOverIsRefused()
    {
        Assert.True(Schemes(l => (l.MaxArgon2MemoryKib, l.MaxArgon2Iterations, l.MaxArgon2Parallelism) = (1024, 2, 2)).Verify("secret", Argon2m1024));
        Assert.False(Schemes(l => l.MaxArgon2MemoryKib = 1023).Verify("secret", Argon2m1024));
        Assert.False(Schemes(l => l.MaxArgon2Iterations = 1).Verify("secret", Argon2m1024));
        Assert.False(Schemes(l => l.MaxArgon2Parallelism = 1).Verify("secret", Argon2m1024));
    }

    [Fact]
    public void APasswordAtTheLengthLimitIsCheckedAndOneByteMoreIsNot()
    {
        string longest = new('x', 256);
        PasswordSchemes schemes = Schemes();

        Assert.True(schemes.Verify(longest, "{PLAIN}" + longest));
        Assert.False(schemes.Verify(longest + "x", "{PLAIN}" + longest + "x"));
        Assert.Contains("password of 257 bytes is longer than Directory:PasswordLimits:MaxPasswordLength (256)", Assert.Single(_log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void APasswordThatCouldNeverBeCheckedCannotBeSet()
    {
        PasswordSchemes schemes = Schemes();

        Assert.StartsWith("{BLF-CRYPT}$2y$04$", schemes.Hash(new string('x', 256)), StringComparison.Ordinal);
        DirectoryAdminException refused = Assert.Throws<DirectoryAdminException>(() => schemes.Hash(new string('\u00e9', 129)));
        Assert.Contains("at most 256 bytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowChecksBeyondTheConcurrencyLimitWaitTheirTurn()
    {
        string slow = "{BLF-CRYPT}" + BCrypt.Net.BCrypt.HashPassword("secret", BCrypt.Net.BCrypt.GenerateSalt(12, 'y'));
        string fast = "{BLF-CRYPT}" + BCrypt.Net.BCrypt.HashPassword("secret", BCrypt.Net.BCrypt.GenerateSalt(4, 'y'));

        // A loaded machine can pause this thread until the slow check is over, which leaves nothing to wait for: such a
        // round proves nothing and is run again. Without the limit, the fast check would finish at once in every round.
        int queuedRounds = 0;
        for (int round = 0; round < 5 && queuedRounds == 0; round++)
        {
            PasswordSchemes schemes = Schemes(l => l.MaxConcurrentChecks = 1);
            Task<bool> first = Task.Run(() => schemes.VerifyAsync("secret", slow, TestContext.Current.CancellationToken).AsTask(), TestContext.Current.CancellationToken);
            for (int i = 0; i < 3000 && schemes.SlowChecksRunning == 0 && !first.IsCompleted; i++)
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }

            Task<bool> second = schemes.VerifyAsync("secret", fast, TestContext.Current.CancellationToken).AsTask();
            bool queued = !second.IsCompleted;

            Assert.True(await first);
            Assert.True(await second);
            queuedRounds += queued ? 1 : 0;
        }

        Assert.Equal(1, queuedRounds);

        // PLAIN and the digests cost one hash and never queue.
        PasswordSchemes busy = Schemes(l => l.MaxConcurrentChecks = 1);
        Task<bool> running = Task.Run(() => busy.VerifyAsync("secret", slow, TestContext.Current.CancellationToken).AsTask(), TestContext.Current.CancellationToken);
        ValueTask<bool> plain = busy.VerifyAsync("secret", "{PLAIN}secret", TestContext.Current.CancellationToken);
        Assert.True(plain.IsCompletedSuccessfully);
        Assert.True(await plain);
        Assert.True(await running);
    }

    private PasswordSchemes Schemes(Action<PasswordLimitsOptions>? limits = null)
    {
        var options = new DirectoryOptions { BcryptCost = 4 };
        limits?.Invoke(options.PasswordLimits);
        return new PasswordSchemes(Options.Create(options), _log);
    }

    private sealed class ListLogger : ILogger<PasswordSchemes>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}

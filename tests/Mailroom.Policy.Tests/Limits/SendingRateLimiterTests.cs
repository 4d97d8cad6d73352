using Mailroom.Core;
using Mailroom.Policy.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Policy.Tests.Limits;

public sealed class SendingRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private SendingRateLimiter Limiter(Action<SendingLimitsOptions>? configure = null)
    {
        var options = new SendingLimitsOptions { UserMessagesPerHour = 3, UserRecipientsPerHour = 5, ClientMessagesPerHour = 100, ClientRecipientsPerHour = 100 };
        configure?.Invoke(options);
        return new SendingRateLimiter(options, _time);
    }

    [Fact]
    public void AUserMaySendExactlyTheHourlyLimitAndTheNextMessageIsRefused()
    {
        SendingRateLimiter limiter = Limiter();

        for (int i = 0; i < 3; i++)
        {
            Assert.Null(limiter.TryCountMessage("ann@example.org", null, "192.0.2.1"));
        }

        SendingLimitRefusal? refusal = limiter.TryCountMessage("ann@example.org", null, "192.0.2.1");
        Assert.Equal(new SendingLimitRefusal(SendingLimitKind.Messages, PerUser: true, "ann@example.org", 3), refusal);
    }

    [Fact]
    public void AnotherUserIsNotAffectedByOneUsersLimit()
    {
        SendingRateLimiter limiter = Limiter();
        for (int i = 0; i < 3; i++)
        {
            limiter.TryCountMessage("ann@example.org", null, "192.0.2.1");
        }

        Assert.NotNull(limiter.TryCountMessage("ann@example.org", null, "192.0.2.1"));
        Assert.Null(limiter.TryCountMessage("bob@example.org", null, "192.0.2.1"));
    }

    [Fact]
    public void TheAllowanceRefillsEvenlyOverTheHour()
    {
        SendingRateLimiter limiter = Limiter();
        for (int i = 0; i < 3; i++)
        {
            limiter.TryCountMessage("ann@example.org", null, null);
        }

        _time.Advance(TimeSpan.FromMinutes(19));
        Assert.NotNull(limiter.TryCountMessage("ann@example.org", null, null));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(limiter.TryCountMessage("ann@example.org", null, null));
        Assert.NotNull(limiter.TryCountMessage("ann@example.org", null, null));
    }

    [Fact]
    public void AUsersOwnLimitOverridesTheDefaultAndZeroMeansUnlimited()
    {
        SendingRateLimiter limiter = Limiter();

        Assert.Null(limiter.TryCountMessage("ann@example.org", 1, null));
        Assert.Equal(1, limiter.TryCountMessage("ann@example.org", 1, null)!.Limit);
        for (int i = 0; i < 50; i++)
        {
            Assert.Null(limiter.TryCountMessage("boss@example.org", 0, null));
        }
    }

    [Fact]
    public void TheClientLimitCountsEveryUserOfOneAddress()
    {
        SendingRateLimiter limiter = Limiter(o => o.ClientMessagesPerHour = 4);

        Assert.Null(limiter.TryCountMessage("a@example.org", null, "192.0.2.7"));
        Assert.Null(limiter.TryCountMessage("b@example.org", null, "192.0.2.7"));
        Assert.Null(limiter.TryCountMessage("c@example.org", null, "192.0.2.7"));
        Assert.Null(limiter.TryCountMessage("d@example.org", null, "192.0.2.7"));
        SendingLimitRefusal? refusal = limiter.TryCountMessage("e@example.org", null, "192.0.2.7");

        Assert.Equal(new SendingLimitRefusal(SendingLimitKind.Messages, PerUser: false, "192.0.2.7", 4), refusal);
        Assert.Null(limiter.TryCountMessage("e@example.org", null, "192.0.2.8"));
    }

    [Fact]
    public void ARefusedAttemptIsNotCountedAgainstTheOtherLimit()
    {
        SendingRateLimiter limiter = Limiter(o => o.ClientMessagesPerHour = 3);
        for (int i = 0; i < 3; i++)
        {
            limiter.TryCountMessage("ann@example.org", null, "192.0.2.1");
        }

        // Ann's own limit refuses; the client's count must not move, so bob from the same address still has none left
        // only because of the three that really went.
        for (int i = 0; i < 10; i++)
        {
            Assert.NotNull(limiter.TryCountMessage("ann@example.org", null, "192.0.2.1"));
        }

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Null(limiter.TryCountMessage("bob@example.org", null, "192.0.2.1"));
    }

    [Fact]
    public void RecipientsHaveTheirOwnLimit()
    {
        SendingRateLimiter limiter = Limiter();

        for (int i = 0; i < 5; i++)
        {
            Assert.Null(limiter.TryCountRecipient("ann@example.org", null, null));
        }

        Assert.Equal(SendingLimitKind.Recipients, limiter.TryCountRecipient("ann@example.org", null, null)!.Kind);
        Assert.Null(limiter.TryCountMessage("ann@example.org", null, null));
    }

    [Fact]
    public void TheSnapshotShowsWhatEachSenderHasSpent()
    {
        SendingRateLimiter limiter = Limiter();
        limiter.TryCountMessage("ann@example.org", null, "192.0.2.1");
        limiter.TryCountRecipient("ann@example.org", 2, "192.0.2.1");

        IReadOnlyList<SendingCounterInfo> counters = limiter.Snapshot();

        Assert.Contains(new SendingCounterInfo("ann@example.org", "user", "messages", 1, 3), counters);
        Assert.Contains(new SendingCounterInfo("ann@example.org", "user", "recipients", 1, 2), counters);
        Assert.Contains(new SendingCounterInfo("192.0.2.1", "client", "messages", 1, 100), counters);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(limiter.Snapshot());
    }

    [Fact]
    public void MemoryStaysBoundedWhateverTheNumberOfClients()
    {
        SendingRateLimiter limiter = Limiter(o => o.MaxTrackedKeys = 100);

        for (int i = 0; i < 5000; i++)
        {
            limiter.TryCountMessage(null, null, $"10.0.{i / 256}.{i % 256}");
        }

        Assert.True(limiter.TrackedCount <= 100, $"{limiter.TrackedCount} keys tracked");
    }

    [Fact]
    public void AnExhaustedUserIsNotForgottenWhenAFloodOfClientsFillsTheirTable()
    {
        SendingRateLimiter limiter = Limiter(o => o.MaxTrackedKeys = 100);
        for (int i = 0; i < 3; i++)
        {
            limiter.TryCountMessage("ann@example.org", null, null);
        }

        for (int i = 0; i < 5000; i++)
        {
            limiter.TryCountMessage(null, null, $"10.1.{i / 256}.{i % 256}");
        }

        Assert.NotNull(limiter.TryCountMessage("ann@example.org", null, null));
    }
}

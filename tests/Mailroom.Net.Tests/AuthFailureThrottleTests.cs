using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Net.Tests;

public sealed class AuthFailureThrottleTests
{
    private static readonly IPAddress s_client = IPAddress.Parse("192.0.2.10");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void FailuresWithinTheFreeAllowanceCauseNoDelay()
    {
        var throttle = Create();

        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(s_client, "alice");
        }

        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "alice"));
        Assert.False(throttle.IsBlocked(s_client, "alice"));
    }

    [Fact]
    public void DelayDoublesWithEachFurtherFailureUpToTheCap()
    {
        var throttle = Create();
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 8; i++)
        {
            throttle.RecordFailure(s_client, null);
            delays.Add(throttle.GetDelay(s_client, null));
        }

        Assert.Equal(
            new[] { 0, 0, 0, 2, 4, 8, 15, 15 }.Select(s => TimeSpan.FromSeconds(s)),
            delays);
    }

    [Fact]
    public void AttemptsAreBlockedPastTheHardLimit()
    {
        var throttle = Create();

        for (var i = 0; i < 19; i++)
        {
            throttle.RecordFailure(s_client, "bob");
        }

        Assert.False(throttle.IsBlocked(s_client, "bob"));
        throttle.RecordFailure(s_client, "bob");
        Assert.True(throttle.IsBlocked(s_client, "bob"));
    }

    [Fact]
    public void UserIsThrottledFromEveryAddress()
    {
        var throttle = Create();

        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"198.51.100.{i + 1}"), "Carol");
        }

        Assert.True(throttle.GetDelay(IPAddress.Parse("203.0.113.7"), "carol") > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(IPAddress.Parse("203.0.113.7"), "dave"));
    }

    [Fact]
    public void FailuresAreForgottenAfterTheWindow()
    {
        var throttle = Create();
        for (var i = 0; i < 20; i++)
        {
            throttle.RecordFailure(s_client, "erin");
        }

        _time.Advance(TimeSpan.FromMinutes(16));

        Assert.False(throttle.IsBlocked(s_client, "erin"));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "erin"));
    }

    [Fact]
    public void SuccessClearsTheAddressAndTheUser()
    {
        var throttle = Create();
        for (var i = 0; i < 6; i++)
        {
            throttle.RecordFailure(s_client, "frank");
        }

        throttle.RecordSuccess(s_client, "frank");

        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "frank"));
    }

    [Fact]
    public void TrackedKeysStayBoundedUnderASpray()
    {
        var options = new NetOptions();
        options.AuthThrottle.MaxTrackedKeys = 100;
        var throttle = new AuthFailureThrottle(Options.Create(options), _time);

        for (var i = 0; i < 1000; i++)
        {
            throttle.RecordFailure(s_client, $"user{i}");
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        // The attacker's address is the most recent key of all and must still be counted.
        Assert.True(throttle.IsBlocked(s_client, null));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(IPAddress.Loopback, "user0"));
    }

    private AuthFailureThrottle Create() => new(Options.Create(new NetOptions()), _time);
}

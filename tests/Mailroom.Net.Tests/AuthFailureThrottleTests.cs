using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Net.Tests;

public sealed class AuthFailureThrottleTests
{
    private static readonly IPAddress s_client = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress s_cleanClient = IPAddress.Parse("203.0.113.7");
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
        Assert.False(throttle.IsBlocked(s_client));
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
    public void ClientIsBlockedOnceItReachesTheHardLimitAndNotBefore()
    {
        var throttle = Create();

        for (var i = 0; i < 49; i++)
        {
            throttle.RecordFailure(s_client, "bob");
        }

        Assert.False(throttle.IsBlocked(s_client));
        throttle.RecordFailure(s_client, "bob");
        Assert.True(throttle.IsBlocked(s_client));
        Assert.False(throttle.IsBlocked(s_cleanClient));
    }

    [Fact]
    public void FailuresAtAUserNeverDelayNorBlockAClientThatHasNotFailed()
    {
        var throttle = Create();

        for (var i = 0; i < 100; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"198.51.100.{i + 1}"), "Carol");
        }

        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_cleanClient, "carol"));
        Assert.False(throttle.IsBlocked(s_cleanClient));
    }

    [Fact]
    public void UserUnderAttackSlowsEveryClientThatFailedAtThatUser()
    {
        var throttle = Create();
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"198.51.100.{i + 1}"), "carol");
        }

        // One failure of its own is within the free allowance; the user's count is what slows it.
        throttle.RecordFailure(s_client, "carol");

        Assert.Equal(TimeSpan.FromSeconds(15), throttle.GetDelay(s_client, "carol"));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "dave"));
    }

    [Fact]
    public void GuesserCannotWipeTheUserSignalByLoggingIntoItsOwnAccount()
    {
        var throttle = Create();
        for (var i = 0; i < 6; i++)
        {
            throttle.RecordFailure(s_client, "carol");
        }

        throttle.RecordSuccess(s_client, "mallory");

        Assert.True(throttle.GetDelay(s_client, "carol") > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "mallory"));
    }

    [Fact]
    public void SuccessClearsTheClientAndItsFailuresAtThatUser()
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
    public void AnIPv6ClientIsCountedByItsSlash64()
    {
        var throttle = Create();

        for (var i = 1; i <= 50; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i:x}"), null);
        }

        Assert.True(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:1")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(IPAddress.Parse("2001:db8:1:3::1"), null));
    }

    [Fact]
    public void FailuresAreForgottenAfterTheWindow()
    {
        var throttle = Create();
        for (var i = 0; i < 50; i++)
        {
            throttle.RecordFailure(s_client, "erin");
        }

        _time.Advance(TimeSpan.FromMinutes(16));

        Assert.False(throttle.IsBlocked(s_client));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(s_client, "erin"));
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
        Assert.True(throttle.IsBlocked(s_client));
        Assert.Equal(TimeSpan.Zero, throttle.GetDelay(IPAddress.Loopback, "user0"));
    }

    private AuthFailureThrottle Create() => new(Options.Create(new NetOptions()), _time);
}

namespace Mailroom.Net;

/// <summary>
/// Failed-authentication penalty settings, <c>Net:AuthThrottle</c>: per client (IPv4 address or IPv6 /64), and per
/// user name for clients that failed at that user (see <see cref="AuthFailureThrottle"/>).
/// </summary>
public sealed class AuthThrottleOptions
{
    /// <summary>
    /// Failures (of a client, or at a user) allowed without delay. Default 3: people mistype passwords; a third try is
    /// still a person, a fourth in a row starts to look like a guesser.
    /// </summary>
    public int FreeFailures { get; set; } = 3;

    /// <summary>
    /// Delay after the first failure beyond <see cref="FreeFailures"/>; it doubles with each further failure.
    /// Default 2 s, Dovecot's <c>auth_failure_delay</c>.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Cap of the growing delay. Default 15 s, as Dovecot's auth-penalty cap: long enough to make guessing slow,
    /// shorter than clients' command timeouts so a real user is not disconnected.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Failures of one client (IPv4 address or IPv6 /64) after which its attempts are refused without checking the
    /// password until the window passes. Never applied per user: that would let anyone lock any account. Default 50:
    /// far beyond any person's retries (20 failures still get through, after the capped delay), and at the capped
    /// delay it takes a guesser over ten minutes to reach it.
    /// </summary>
    public int BlockAfter { get; set; } = 50;

    /// <summary>
    /// How long failures are remembered: a key's count is forgotten once this long has passed since its last failure.
    /// Default 15 minutes: a blocked client can try again after a quarter of an hour of silence.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Most addresses and user names tracked at once. Default 100000 (a few MB): bounds memory when an attacker
    /// sprays many user names or addresses; the oldest entries are dropped first.
    /// </summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}

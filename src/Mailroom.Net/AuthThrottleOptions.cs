namespace Mailroom.Net;

/// <summary>Failed-authentication throttle settings, <c>Net:AuthThrottle</c> (per client address and per user name).</summary>
public sealed class AuthThrottleOptions
{
    /// <summary>
    /// Failures allowed without delay. Default 3: people mistype passwords; a third try is still a person, a fourth
    /// in a row starts to look like a guesser.
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
    /// Failures after which attempts are refused without checking the password until the window passes.
    /// Default 20: far beyond any person's retries, and it stops a guesser from learning anything at all.
    /// </summary>
    public int BlockAfter { get; set; } = 20;

    /// <summary>
    /// How long failures are remembered: a key's count is forgotten once this long has passed since its last failure.
    /// Default 15 minutes: a blocked address or user can try again after a quarter of an hour of silence.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Most addresses and user names tracked at once. Default 100000 (a few MB): bounds memory when an attacker
    /// sprays many user names or addresses; the oldest entries are dropped first.
    /// </summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}

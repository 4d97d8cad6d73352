namespace Mailroom.Net;

/// <summary>
/// The deadlines of <see cref="LineSession"/>: one timer for the current command line or raw transfer, one for the
/// whole dialogue before login. Either cancels <see cref="SessionAborted"/> and ends the session through
/// <see cref="OnIdleTimeoutAsync"/>; both are absolute, so no pattern of reads can keep a session past them.
/// </summary>
public abstract partial class LineSession
{
    private readonly TimeSpan? _loginTimeout;
    private readonly int _minDataRate;
    private ITimer? _idleTimer;
    private ITimer? _loginTimer;
    private int _idleExpired;
    private long _deadline;

    /// <summary>
    /// Arms the deadline for a raw transfer by a handler (DATA, BDAT, literals, a long response): <see cref="IdleTimeout"/>
    /// from now. If it passes, <see cref="SessionAborted"/> is cancelled and the session ends through
    /// <see cref="OnIdleTimeoutAsync"/>; the loop stops it when the handler returns.
    /// </summary>
    protected void RestartIdleTimer()
    {
        _deadline = _timeProvider.GetTimestamp() + ToTimestampUnits(IdleTimeout);
        _idleTimer?.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the deadline armed by <see cref="RestartIdleTimer"/> (e.g. during a long local operation).</summary>
    protected void StopIdleTimer() => _idleTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// A raw transfer armed by <see cref="RestartIdleTimer"/> moved <paramref name="bytes"/>. With a
    /// <see cref="LineSessionOptions.MinDataRate"/>, the deadline moves later by <c>bytes / rate</c> seconds, never past
    /// <see cref="IdleTimeout"/> from now (Postfix's <c>smtpd_min_data_rate</c>): a client trickling bytes is cut once
    /// it falls below the rate. Without one, any progress restarts the full <see cref="IdleTimeout"/>.
    /// </summary>
    protected void ReportTransferProgress(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_minDataRate == 0)
        {
            RestartIdleTimer();
            return;
        }

        long now = _timeProvider.GetTimestamp();
        long latest = now + ToTimestampUnits(IdleTimeout);
        long earned = (long)((double)bytes / _minDataRate * _timeProvider.TimestampFrequency);
        _deadline = Math.Min(latest, _deadline > long.MaxValue - earned ? latest : _deadline + earned);
        long remaining = _deadline - now;
        _idleTimer?.Change(remaining <= 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(now, _deadline), Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The client logged in: the deadline of the dialogue before login (<see cref="LineSessionOptions.LoginTimeout"/>)
    /// no longer applies; only the per-command deadline does.
    /// </summary>
    protected void EndLoginDeadline() => _loginTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// The client logged out but keeps the connection (ManageSieve's UNAUTHENTICATE, RFC 5804 §2.14.1): the deadline of
    /// the dialogue before login applies again, <see cref="LineSessionOptions.LoginTimeout"/> from now, as on a new
    /// connection; otherwise logging in once would buy an unauthenticated connection that never ends.
    /// </summary>
    protected void RestartLoginDeadline()
    {
        if (_loginTimeout is { } loginTimeout)
        {
            _loginTimer?.Change(loginTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private long ToTimestampUnits(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    private void OnIdleTimerFired()
    {
        Interlocked.Exchange(ref _idleExpired, 1);
        try
        {
            _sessionCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session ended while the timer fired.
        }
    }
}

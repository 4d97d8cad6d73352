using System.Net;
using Mailroom.Core.Telemetry;
using Mailroom.Net;

namespace Mailroom.Directory;

/// <summary>
/// The password check every protocol shares (SMTP AUTH, POP3 USER/PASS and AUTH, IMAP LOGIN and AUTHENTICATE; their
/// SASL PLAIN responses are decoded by <see cref="SaslPlain"/>): refuse a blocked client outright, apply the
/// throttle's delay before the check — successful or not, so a guesser learns nothing by hanging up early — then
/// verify and record the outcome. Only the client's own failures can block it; a user under attack is never locked
/// out (see <see cref="AuthFailureThrottle"/>).
/// </summary>
public sealed class LoginGate
{
    /// <summary>
    /// Longest user name looked up, in characters: a mailbox address has at most 64 octets of local part and 255 of
    /// domain (RFC 5321 §4.5.3.1.1, §4.5.3.1.2). Longer names fail like a wrong password without a lookup and are not
    /// tracked by name, so a client cannot make the throttle or the log hold a megabyte per attempt (IMAP literals).
    /// </summary>
    public const int MaxUserNameLength = 64 + 1 + 255;

    private readonly IMailDirectory _directory;
    private readonly AuthFailureThrottle _throttle;
    private readonly TimeProvider _timeProvider;

    public LoginGate(IMailDirectory directory, AuthFailureThrottle throttle, TimeProvider timeProvider)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _throttle = throttle ?? throw new ArgumentNullException(nameof(throttle));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    public async ValueTask<LoginOutcome> LoginAsync(IPAddress client, string userName, string password, CancellationToken cancellationToken)
    {
        if (_throttle.IsBlocked(client))
        {
            MailroomMetrics.AuthFailures.Add(1, MailroomMetrics.Tag("result", "blocked"));
            return LoginOutcome.Blocked;
        }

        TimeSpan delay = _throttle.GetDelay(client, userName);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (userName.Length > MaxUserNameLength)
        {
            _throttle.RecordFailure(client, null);
            MailroomMetrics.AuthFailures.Add(1, MailroomMetrics.Tag("result", "failed"));
            return LoginOutcome.Failed;
        }

        AuthenticationResult result;
        try
        {
            // A malformed response (no user, no password) fails like a wrong password, without a lookup.
            result = userName.Length == 0 || password.Length == 0
                ? AuthenticationResult.Failed
                : await _directory.AuthenticateAsync(userName, password, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            return new LoginOutcome(LoginStatus.Unavailable, null, ex);
        }

        if (result.Succeeded && result.UserName is not null)
        {
            _throttle.RecordSuccess(client, result.UserName);
            return new LoginOutcome(LoginStatus.Succeeded, result.UserName, null);
        }

        _throttle.RecordFailure(client, userName);
        MailroomMetrics.AuthFailures.Add(1, MailroomMetrics.Tag("result", "failed"));
        return LoginOutcome.Failed;
    }
}

public enum LoginStatus
{
    Succeeded,
    Failed,

    /// <summary>Too many failures from this client (IPv4 address or IPv6 /64): refused without checking.</summary>
    Blocked,

    /// <summary>The directory could not answer: a temporary failure, never a rejection.</summary>
    Unavailable,
}

/// <param name="Status">What happened.</param>
/// <param name="UserName">The canonical mailbox name on success.</param>
/// <param name="Error">The directory's failure when <see cref="LoginStatus.Unavailable"/>.</param>
public sealed record LoginOutcome(LoginStatus Status, string? UserName, DirectoryUnavailableException? Error)
{
    public static readonly LoginOutcome Failed = new(LoginStatus.Failed, null, null);
    public static readonly LoginOutcome Blocked = new(LoginStatus.Blocked, null, null);
}

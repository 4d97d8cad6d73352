using System.Globalization;

namespace Mailroom.Net;

/// <summary>
/// What a POP3 or IMAP session notes for the login lines Dovecot's login processes write, which admins grep
/// (<c>pop3-login: Login: user=&lt;u&gt;, method=PLAIN, rip=…, lip=…, TLS</c> and
/// <c>imap-login: Disconnected (auth failed, 2 attempts in 5 secs): user=&lt;u&gt;, method=PLAIN, rip=…, lip=…</c>):
/// the login attempts, the time since the connection came, and the addresses and security of the connection.
/// </summary>
public sealed class LoginLogNotes
{
    private readonly MailConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly long _connectedAt;
    private string? _lastMethod;

    public LoginLogNotes(MailConnection connection, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _timeProvider = timeProvider;
        _connectedAt = timeProvider.GetTimestamp();
    }

    /// <summary>Login attempts so far (successful or not).</summary>
    public int Attempts { get; private set; }

    /// <summary>Longest user name written to a login line; longer ones are cut and end in <c>...</c> (a log line stays a line).</summary>
    public const int MaxLoggedUserLength = 255;

    /// <summary>The user name of the last attempt (empty before any), at most <see cref="MaxLoggedUserLength"/> characters and <c>...</c>.</summary>
    public string LastUser { get; private set; } = "";

    /// <summary>Dovecot's <c>no auth attempts</c> or <c>auth failed, N attempts</c> (followed by <c>in N secs</c>).</summary>
    public string AttemptsText => Attempts == 0
        ? "no auth attempts"
        : string.Create(CultureInfo.InvariantCulture, $"auth failed, {Attempts} attempts");

    /// <summary>Whole seconds since the connection came.</summary>
    public long Seconds => (long)_timeProvider.GetElapsedTime(_connectedAt).TotalSeconds;

    /// <summary><c>, method=PLAIN</c> after an attempt, else nothing.</summary>
    public string MethodNote => _lastMethod is null ? "" : ", method=" + _lastMethod;

    public string RemoteIp => _connection.RemoteEndPoint.Address.ToString();

    public string LocalIp => _connection.LocalEndPoint.Address.ToString();

    /// <summary>Dovecot's <c>%c</c>: <c>, TLS</c> on TLS, <c>, secured</c> for a local plaintext client, else nothing.</summary>
    public string SecurityNote => _connection.IsSecure ? ", TLS" : _connection.IsLoopback ? ", secured" : "";

    public void RecordAttempt(string userName, string method)
    {
        ArgumentNullException.ThrowIfNull(userName);
        Attempts++;
        LastUser = Shorten(userName);
        _lastMethod = method;
    }

    /// <summary>A client-supplied name cut to <see cref="MaxLoggedUserLength"/> characters for the log (an IMAP literal may hold a megabyte).</summary>
    public static string Shorten(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return userName.Length <= MaxLoggedUserLength ? userName : string.Concat(userName.AsSpan(0, MaxLoggedUserLength), "...");
    }
}

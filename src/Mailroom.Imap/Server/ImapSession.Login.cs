using System.Globalization;
using System.Text;
using Mailroom.Directory;
using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <summary>Authentication and the capability list, which depends on the state and the connection's security.</summary>
internal sealed partial class ImapSession
{
    // Everything implemented and advertised (RFC 9051 §7.2.2 and the extensions' RFCs).
    private const string BaseCapabilities =
        "IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN " +
        "LIST-EXTENDED LIST-STATUS ESEARCH CONDSTORE BINARY QUOTA QUOTA=RES-STORAGE" +
        " MULTIAPPEND STATUS=SIZE" +
        SortCapabilities +
        ResyncCapabilities +
        MessageMetadataCapabilities +
        ExtensionCapabilities + NotifyCapability;

    // RFC 7162 §3.2: QRESYNC (VANISHED, SELECT/EXAMINE (QRESYNC …), UID FETCH … VANISHED).
    private const string ResyncCapabilities = " QRESYNC";

    // RFC 5256, RFC 5957, RFC 5267 (ESORT, and CONTEXT=SEARCH/SORT: PARTIAL, UPDATE, CANCELUPDATE).
    private const string SortCapabilities = " SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES ESORT CONTEXT=SEARCH CONTEXT=SORT";

    // RFC 8474 (MAILBOXID, EMAILID; THREADID is NIL), RFC 8514, RFC 8970.
    private const string MessageMetadataCapabilities = " OBJECTID SAVEDATE PREVIEW";

    private string? _capabilities;

    /// <summary>The logged-in user (<c>user@domain</c>, as the directory spells it), once authenticated.</summary>
    public string? User { get; private set; }

    /// <summary>The tag of an AUTHENTICATE waiting for the client's SASL response line (RFC 9051 §6.2.2), if any.</summary>
    public string? PendingAuthTag { get; set; }

    /// <summary>
    /// The capabilities for the current state: STARTTLS only before TLS on the plain listener; AUTH=PLAIN when a
    /// login would be accepted, LOGINDISABLED otherwise (RFC 9051 §6.2.3); neither after login.
    /// </summary>
    public string Capabilities()
    {
        // RFC 7889: the largest message APPEND takes, the same for every mailbox.
        string capabilities = _capabilities ??= BaseCapabilities + " APPENDLIMIT=" + Context.Options.MaxLiteralSize.ToString(CultureInfo.InvariantCulture);
        if (State != ImapState.NotAuthenticated)
        {
            return capabilities;
        }

        var text = new StringBuilder(capabilities);
        if (!Connection.IsSecure && Context.Role == ImapListenerRole.Imap)
        {
            text.Append(" STARTTLS");
        }

        text.Append(LoginAllowed ? " AUTH=PLAIN" : " LOGINDISABLED");
        return text.ToString();
    }

    /// <summary>
    /// Checks the credentials (after the throttle's delay) and enters the authenticated state, answering
    /// <c>tag OK [CAPABILITY ...] Logged in</c> or the RFC 5530 coded <c>NO</c>.
    /// </summary>
    public async ValueTask<SessionAction> LoginAsync(string tag, string userName, string password, string method, CancellationToken cancellationToken)
    {
        _loginNotes.RecordAttempt(userName, method);
        LoginOutcome outcome = await Context.Login.LoginAsync(Connection.RemoteEndPoint.Address, userName, password, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case LoginStatus.Succeeded:
                return OpenMailboxes(tag, outcome.UserName!, method);
            case LoginStatus.Blocked:
                WriteLine(tag + " NO [UNAVAILABLE] Too many authentication failures, try again later.");
                WriteLine("* BYE Disconnecting.");
                return SessionAction.Close;
            case LoginStatus.Unavailable:
                ImapLog.DirectoryFailed(Context.Diagnostics, outcome.Error!, userName);
                WriteLine(tag + " NO [UNAVAILABLE] Temporary authentication failure.");
                return SessionAction.Continue;
            default:
                WriteLine(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.");
                return SessionAction.Continue;
        }
    }

    private SessionAction OpenMailboxes(string tag, string user, string method)
    {
        try
        {
            // A new user's INBOX and special-use folders are created on first use.
            Context.Mailboxes.ListFolders(user);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ImapLog.MailboxesFailed(Context.Diagnostics, ex, user);
            WriteLine(tag + " NO [UNAVAILABLE] Couldn't open the mailboxes.");
            return SessionAction.Continue;
        }

        User = user;
        State = ImapState.Authenticated;
        EndLoginDeadline();
        TraceLogin(user);
        ImapLog.Login(Context.Maillog, user, method, _loginNotes.RemoteIp, _loginNotes.LocalIp, _loginNotes.SecurityNote);
        WriteLine(tag + " OK [CAPABILITY " + Capabilities() + "] Logged in");
        // Dovecot's in=/out= count the mail session, which starts here.
        BytesIn = 0;
        Writer.BytesWritten = 0;
        return SessionAction.Continue;
    }

    /// <summary>LOGOUT: <c>* BYE</c>, the tagged OK, and the session ends (RFC 9051 §6.1.3).</summary>
    public SessionAction Logout(ImapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        State = ImapState.Logout;
        _endReason = EndReason.LoggedOut;
        WriteLine("* BYE Logging out");
        WriteLine(request.Tag + " OK Logout completed.");
        return SessionAction.Close;
    }
}

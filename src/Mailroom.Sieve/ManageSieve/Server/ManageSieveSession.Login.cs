using Mailroom.Directory;
using Mailroom.Net;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>Authentication through the shared login gate (throttled as POP3 and IMAP are), and UNAUTHENTICATE.</summary>
internal sealed partial class ManageSieveSession
{
    /// <summary>The logged-in user (<c>user@domain</c>), once authenticated.</summary>
    public string? User { get; private set; }

    /// <summary>Checks the credentials (after the throttle's delay); answers OK or NO with RFC 5804's codes.</summary>
    public async ValueTask<SessionAction> LoginAsync(string userName, string password, string method, CancellationToken cancellationToken)
    {
        _loginNotes.RecordAttempt(userName, method);
        LoginOutcome outcome = await Context.Login.LoginAsync(Connection.RemoteEndPoint.Address, userName, password, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case LoginStatus.Succeeded:
                User = outcome.UserName!;
                State = ManageSieveState.Authenticated;
                IdleTimeout = Context.Options.IdleTimeout;
                EndLoginDeadline();
                TraceLogin(User);
                ManageSieveLog.Login(Context.Maillog, User, method, _loginNotes.RemoteIp, _loginNotes.LocalIp, _loginNotes.SecurityNote);
                Ok(null, "Logged in.");
                return SessionAction.Continue;
            case LoginStatus.Blocked:
                _endReason = EndReason.TooManyErrors;
                Bye("TRYLATER", "Too many authentication failures, try again later.");
                return SessionAction.Close;
            case LoginStatus.Unavailable:
                ManageSieveLog.DirectoryFailed(Context.Diagnostics, outcome.Error!, userName);
                No("TRYLATER", "Temporary authentication failure.");
                return SessionAction.Continue;
            default:
                Failed(null, "Authentication failed.");
                return SessionAction.Continue;
        }
    }

    /// <summary>
    /// UNAUTHENTICATE (RFC 5804 §2.14.1): back to the non-authenticated state, as on a new connection: each command must
    /// come within the login timeout, and the login deadline is armed again from now, so a client cannot log in once and
    /// then hold an unauthenticated connection open for ever.
    /// </summary>
    public void Unauthenticate()
    {
        LogLogout("Disconnected: Unauthenticated");
        User = null;
        State = ManageSieveState.NonAuthenticated;
        IdleTimeout = Context.Options.LoginTimeout;
        RestartLoginDeadline();
        Ok(null, "Unauthenticate completed.");
    }
}

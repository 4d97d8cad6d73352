using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server;

/// <summary>Authentication, the mailbox lock and the maildrop snapshot.</summary>
internal sealed partial class Pop3Session
{
    private IDisposable? _lock;

    /// <summary>The name given by USER, waiting for PASS.</summary>
    public string? PendingUser { get; set; }

    /// <summary>The logged-in mailbox (<c>user@domain</c>), once in the TRANSACTION state.</summary>
    public string? Mailbox { get; private set; }

    /// <summary>The login snapshot; set in the TRANSACTION state.</summary>
    public Maildrop? Drop { get; private set; }

    public SessionCounters Counters { get; } = new();

    /// <summary>
    /// Checks the credentials (after the throttle's delay), locks the mailbox and takes the maildrop snapshot.
    /// Answers <c>+OK Logged in.</c> or the RFC 2449/3206 coded <c>-ERR</c>.
    /// </summary>
    public async ValueTask<SessionAction> LoginAsync(string userName, string password, string method, CancellationToken cancellationToken)
    {
        _loginNotes.RecordAttempt(userName, method);
        LoginOutcome outcome = await Context.Login.LoginAsync(Connection.RemoteEndPoint.Address, userName, password, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case LoginStatus.Succeeded:
                return OpenMaildrop(outcome.UserName!, method);
            case LoginStatus.Blocked:
                Err("[SYS/TEMP] Too many authentication failures, try again later.");
                return SessionAction.Close;
            case LoginStatus.Unavailable:
                Pop3Log.DirectoryFailed(Context.Diagnostics, outcome.Error!, userName);
                Err("[SYS/TEMP] Temporary authentication failure.");
                return SessionAction.Continue;
            default:
                Err("[AUTH] Authentication failed.");
                return SessionAction.Continue;
        }
    }

    private SessionAction OpenMaildrop(string mailbox, string method)
    {
        // RFC 2449 §8.1.1: the maildrop is locked by another session.
        IDisposable? mailboxLock = Context.Locks.TryAcquire(mailbox);
        if (mailboxLock is null)
        {
            Err("[IN-USE] Mailbox is locked by another POP3 session.");
            return SessionAction.Continue;
        }

        try
        {
            Drop = Maildrop.Open(Context.Store, mailbox);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            mailboxLock.Dispose();
            Pop3Log.MaildropFailed(Context.Diagnostics, ex, mailbox);
            Err("[SYS/TEMP] Couldn't open the mailbox.");
            return SessionAction.Continue;
        }

        if (Drop.FirstUnreadable is { } unreadable)
        {
            Pop3Log.MessagesLeftOut(Context.Diagnostics, unreadable, mailbox, Drop.UnreadableCount);
        }

        _lock = mailboxLock;
        Mailbox = mailbox;
        State = Pop3State.Transaction;
        EndLoginDeadline();
        TraceLogin(mailbox);

        // As Dovecot's pop3: a logged-in session is ended only by bad commands in a row, so a long session is not cut
        // off for a few harmless errors. Before login every error counts (as its pop3-login does).
        CountErrorsInARowOnly = true;
        PendingUser = null;
        Pop3Log.Login(Context.Maillog, mailbox, method, _loginNotes.RemoteIp, _loginNotes.LocalIp, _loginNotes.SecurityNote);
        Ok("Logged in.");
        return SessionAction.Continue;
    }

    /// <summary>QUIT in the TRANSACTION state: enter UPDATE, remove deleted messages, mark retrieved ones seen.</summary>
    public int EnterUpdate()
    {
        State = Pop3State.Update;
        Maildrop drop = Drop!;
        int failures = drop.Commit();
        Counters.Deleted = drop.Messages.Count(static m => m.Deleted) - failures;
        if (failures > 0)
        {
            Pop3Log.UpdateFailed(Context.Diagnostics, Mailbox!, failures);
        }

        return failures;
    }

    private void ReleaseMaildrop()
    {
        Drop?.Dispose();
        _lock?.Dispose();
        _lock = null;
    }
}

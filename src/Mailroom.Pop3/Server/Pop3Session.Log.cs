using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server;

/// <summary>The disconnect lines of the mail log, in Dovecot's words.</summary>
internal sealed partial class Pop3Session
{
    private readonly LoginLogNotes _loginNotes;
    private EndReason _endReason;

    private enum EndReason
    {
        FromLoop,
        Inactivity,
        TooManyErrors,
    }

    private void LogDisconnect(SessionEnd end)
    {
        if (Mailbox is not null)
        {
            string reason = _endReason switch
            {
                EndReason.Inactivity => "Disconnected for inactivity",
                EndReason.TooManyErrors => "Disconnected: Too many bad commands.",
                _ => end switch
                {
                    SessionEnd.ClientQuit => "Disconnected: Logged out",
                    SessionEnd.Shutdown => "Disconnected: Server shutting down.",
                    SessionEnd.Error => "Disconnected: Internal error",
                    _ => "Disconnected: Connection closed",
                },
            };
            Maildrop drop = Drop!;
            Pop3Log.Disconnected(
                Context.Maillog, Mailbox, reason, Counters.TopCount, Counters.TopBytes, Counters.RetrCount, Counters.RetrBytes,
                Counters.Deleted, drop.Messages.Count, drop.InitialSize);
            return;
        }

        string loginReason = _endReason switch
        {
            EndReason.Inactivity => "Disconnected: Inactivity",
            EndReason.TooManyErrors => "Disconnected: Too many bad commands",
            _ => end switch
            {
                SessionEnd.Shutdown => "Disconnected: Shutting down",
                SessionEnd.TlsFailed => "Disconnected: TLS handshake failed",
                SessionEnd.Error => "Disconnected: Internal error",
                _ => "Disconnected",
            },
        };
        LoginLogNotes notes = _loginNotes;
        string user = notes.Attempts == 0 ? LoginLogNotes.Shorten(PendingUser ?? "") : notes.LastUser;
        Pop3Log.LoginDisconnected(
            Context.Maillog, loginReason, notes.AttemptsText, notes.Seconds, user, notes.MethodNote, notes.RemoteIp, notes.LocalIp, notes.SecurityNote);
    }
}

using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <summary>The disconnect lines of the mail log, in Dovecot's words.</summary>
internal sealed partial class ImapSession
{
    private readonly LoginLogNotes _loginNotes;
    private EndReason _endReason;

    private enum EndReason
    {
        FromLoop,
        Inactivity,
        TooManyErrors,
        TooLong,
        TooBig,
        LoggedOut,
        LeftDuringCommand,
    }

    private void LogDisconnect(SessionEnd end)
    {
        if (User is not null)
        {
            string reason = _endReason switch
            {
                EndReason.LoggedOut => "Disconnected: Logged out",
                EndReason.Inactivity => "Disconnected for inactivity",
                EndReason.TooManyErrors => "Disconnected: Too many invalid IMAP commands.",
                EndReason.TooLong => "Disconnected: Too long argument.",
                EndReason.TooBig => "Disconnected: Literal too big.",
                EndReason.LeftDuringCommand => "Disconnected: Connection closed (" + _interruptedCommand + " running)",
                _ => end switch
                {
                    SessionEnd.Shutdown => "Disconnected: Server shutting down.",
                    SessionEnd.Error => "Disconnected: Internal error",
                    _ => "Disconnected: Connection closed",
                },
            };
            ImapLog.Disconnected(Context.Maillog, User, reason, BytesIn, Writer.BytesWritten);
            return;
        }

        string loginReason = _endReason switch
        {
            EndReason.Inactivity => "Disconnected: Inactivity",
            EndReason.TooManyErrors => "Disconnected: Too many invalid commands",
            EndReason.TooLong => "Disconnected: Too long argument",
            EndReason.TooBig => "Disconnected: Literal too big",
            EndReason.LoggedOut => "Aborted login",
            _ => end switch
            {
                SessionEnd.Shutdown => "Disconnected: Shutting down",
                SessionEnd.TlsFailed => "Disconnected: TLS handshake failed",
                SessionEnd.Error => "Disconnected: Internal error",
                _ => "Disconnected",
            },
        };
        LoginLogNotes notes = _loginNotes;
        ImapLog.LoginDisconnected(
            Context.Maillog, loginReason, notes.AttemptsText, notes.Seconds, notes.LastUser, notes.MethodNote, notes.RemoteIp, notes.LocalIp, notes.SecurityNote);
    }
}

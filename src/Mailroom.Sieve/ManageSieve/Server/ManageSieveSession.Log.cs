using Mailroom.Net;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>The disconnect lines of the mail log, in Dovecot's words (<c>managesieve_logout_format = bytes=%i/%o</c>).</summary>
internal sealed partial class ManageSieveSession
{
    private readonly LoginLogNotes _loginNotes;
    private EndReason _endReason;

    private enum EndReason
    {
        FromLoop,
        Inactivity,
        TooManyErrors,
        TooLong,
    }

    /// <summary>A change to the user's scripts, for the log.</summary>
    public void LogChange(string change, string script) => ManageSieveLog.ScriptChanged(Context.Maillog, User!, change, script);

    private void LogLogout(string reason) => ManageSieveLog.Disconnected(Context.Maillog, User!, reason, BytesIn, BytesOut);

    private void LogDisconnect(SessionEnd end)
    {
        if (User is not null)
        {
            LogLogout(_endReason switch
            {
                EndReason.Inactivity => "Disconnected for inactivity",
                EndReason.TooManyErrors => "Disconnected: Too many invalid commands.",
                EndReason.TooLong => "Disconnected: Command line too long",
                _ => end switch
                {
                    SessionEnd.ClientQuit => "Disconnected: Logged out",
                    SessionEnd.Shutdown => "Disconnected: Server shutting down.",
                    SessionEnd.Error => "Disconnected: Internal error",
                    _ => "Disconnected: Connection closed",
                },
            });
            return;
        }

        string reason = _endReason switch
        {
            EndReason.Inactivity => "Disconnected: Inactivity",
            EndReason.TooManyErrors => "Disconnected: Too many invalid commands",
            EndReason.TooLong => "Disconnected: Command line too long",
            _ => end switch
            {
                SessionEnd.Shutdown => "Disconnected: Shutting down",
                SessionEnd.TlsFailed => "Disconnected: TLS handshake failed",
                SessionEnd.Error => "Disconnected: Internal error",
                _ => "Disconnected",
            },
        };
        LoginLogNotes notes = _loginNotes;
        ManageSieveLog.LoginDisconnected(Context.Maillog, reason, notes.AttemptsText, notes.Seconds, notes.LastUser, notes.MethodNote, notes.RemoteIp, notes.LocalIp, notes.SecurityNote);
    }
}

using System.Globalization;
using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <summary>The disconnect lines of the mail log, in Dovecot's words.</summary>
internal sealed partial class ImapSession
{
    private readonly long _connectedAt;
    private int _attempts;
    private string _lastUser = "";
    private string? _lastMethod;
    private EndReason _endReason;

    private enum EndReason
    {
        FromLoop,
        Inactivity,
        TooManyErrors,
        TooLong,
        TooBig,
        LoggedOut,
    }

    private string RemoteIp => Connection.RemoteEndPoint.Address.ToString();

    private string LocalIp => Connection.LocalEndPoint.Address.ToString();

    /// <summary>Dovecot's <c>%c</c>: <c>TLS</c> on TLS, <c>secured</c> for a local plaintext client, else nothing.</summary>
    private string SecurityNote => Connection.IsSecure ? ", TLS" : Connection.IsLoopback ? ", secured" : "";

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
        string attempts = _attempts == 0
            ? "no auth attempts"
            : string.Create(CultureInfo.InvariantCulture, $"auth failed, {_attempts} attempts");
        long seconds = (long)Context.TimeProvider.GetElapsedTime(_connectedAt).TotalSeconds;
        string method = _lastMethod is null ? "" : ", method=" + _lastMethod;
        ImapLog.LoginDisconnected(Context.Maillog, loginReason, attempts, seconds, _lastUser, method, RemoteIp, LocalIp, SecurityNote);
    }
}

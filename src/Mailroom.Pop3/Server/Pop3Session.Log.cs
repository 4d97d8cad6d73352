using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server;

/// <summary>The disconnect lines of the mail log, in Dovecot's words.</summary>
internal sealed partial class Pop3Session
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
    }

    private string RemoteIp => Connection.RemoteEndPoint.Address.ToString();

    private string LocalIp => Connection.LocalEndPoint.Address.ToString();

    /// <summary>Dovecot's <c>%c</c>: <c>TLS</c> on TLS, <c>secured</c> for a local plaintext client, else nothing.</summary>
    private string SecurityNote => Connection.IsSecure ? ", TLS" : Connection.IsLoopback ? ", secured" : "";

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
        string attempts = _attempts == 0
            ? "no auth attempts"
            : string.Create(CultureInfo.InvariantCulture, $"auth failed, {_attempts} attempts");
        long seconds = (long)Context.TimeProvider.GetElapsedTime(_connectedAt).TotalSeconds;
        string method = _lastMethod is null ? "" : ", method=" + _lastMethod;
        string user = _attempts == 0 ? PendingUser ?? "" : _lastUser;
        Pop3Log.LoginDisconnected(Context.Maillog, loginReason, attempts, seconds, user, method, RemoteIp, LocalIp, SecurityNote);
    }
}

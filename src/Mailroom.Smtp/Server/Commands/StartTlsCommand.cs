using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, then the loop discards any pipelined plaintext, runs the handshake and calls
/// OnTlsStarted, which forgets HELO, MAIL and AUTH (§4.2).
/// </summary>
internal sealed class StartTlsCommand : ISmtpCommand
{
    public ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length > 0)
        {
            session.Reply(SmtpReplies.StartTlsSyntax);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // A milter refused the session at connect or HELO: Postfix's starttls_cmd answers with it, a 4xx as 454.
        if (session.MilterSessionRefusal(tempfailAs454: true) is { } refused)
        {
            session.Reply(refused);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (session.Client.IsSecure)
        {
            session.Reply(SmtpReplies.TlsAlreadyActive);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.Reply(SmtpReplies.ReadyToStartTls);
        return ValueTask.FromResult(SessionAction.StartTls);
    }
}

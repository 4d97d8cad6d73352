using System.Text;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, offered only after TLS unless configured otherwise
/// (DESIGN invariant 3), with the shared failed-authentication throttle.
/// </summary>
internal sealed class AuthCommand : ISmtpCommand
{
    /// <summary>"Username:" and "Password:" in base64, the LOGIN mechanism's traditional prompts.</summary>
    internal const string UsernamePrompt = "VXNlcm5hbWU6";
    internal const string PasswordPrompt = "UGFzc3dvcmQ6";

    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        // Postfix's order (smtpd_sasl_auth_cmd): HELO first and no transaction under way (the command table), then a
        // milter's refusal of the session at connect or HELO, answered as it is (a 4xx as 454, Sendmail's way), so that a
        // client refused there hears that refusal rather than an invitation to STARTTLS; then TLS first
        // (smtpd_tls_auth_only), then "already authenticated", then the syntax.
        if (session.MilterSessionRefusal(tempfailAs454: true) is { } refused)
        {
            session.Reply(refused);
            return SessionAction.Continue;
        }

        if (!session.AuthOffered)
        {
            // AUTH is withheld only before TLS: say what to do rather than let a client (or an admin with telnet) think it is off.
            session.Reply(SmtpReplies.StartTlsFirst);
            return SessionAction.Continue;
        }

        if (session.AuthenticatedUser is not null)
        {
            session.Reply(SmtpReplies.AuthAlreadyDone);
            return SessionAction.Continue;
        }

        string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            session.Reply(SmtpReplies.AuthSyntax);
            return SessionAction.Continue;
        }

        string mechanism = parts[0].ToUpperInvariant();
        if (mechanism is not ("PLAIN" or "LOGIN"))
        {
            session.Reply(SmtpReplies.AuthUnsupportedMechanism);
            return SessionAction.Continue;
        }

        var exchange = new AuthExchange(mechanism);
        if (parts.Length == 1)
        {
            session.PendingAuth = exchange;
            session.Challenge(mechanism == "PLAIN" ? "" : UsernamePrompt);
            return SessionAction.Continue;
        }

        // RFC 4954 §4: an initial response of "=" stands for an empty one.
        return await exchange.ContinueAsync(session, Encoding.ASCII.GetBytes(parts[1] == "=" ? "" : parts[1]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the credentials (after the throttle's delay) and answers 235, 535, 454 or 421.</summary>
    internal static async ValueTask<SessionAction> VerifyAsync(SmtpSession session, string mechanism, string userName, string password, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        LoginOutcome outcome = await context.Login.LoginAsync(session.Client.RemoteEndPoint.Address, userName, password, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case LoginStatus.Succeeded:
                session.CompleteLogin(outcome.UserName!, mechanism);
                session.Reply(SmtpReplies.AuthSucceeded);
                break;
            case LoginStatus.Blocked:
                SmtpLog.SaslFailed(context.Smtpd, session.ClientName, session.ClientAddress, mechanism);
                session.Reply(new SmtpReply(421, "4.7.0", $"{session.Hostname} Error: too many authentication failures"));
                return SessionAction.Close;
            case LoginStatus.Unavailable:
                SmtpLog.DirectoryFailed(context.Diagnostics, outcome.Error!, userName);

                // RFC 4954 §6: 454 4.7.0 Temporary authentication failure.
                session.Reply(new SmtpReply(454, "4.7.0", "Temporary authentication failure"));
                break;
            default:
                SmtpLog.SaslFailed(context.Smtpd, session.ClientName, session.ClientAddress, mechanism);
                session.Reply(SmtpReplies.AuthFailed);
                break;
        }

        return SessionAction.Continue;
    }
}

using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>MAIL FROM (RFC 5321 §4.1.1.2) with SIZE, BODY, SMTPUTF8, RET, ENVID and AUTH parameters.</summary>
internal sealed class MailCommand : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        if (context.IsSubmission && session.AuthenticatedUser is null)
        {
            // RFC 6409 §4.1 / RFC 4954 §6: submission requires authentication.
            session.Reply(SmtpReplies.AuthRequired);
            return SessionAction.Continue;
        }

        if (MailCommandParser.TryParse(argument, out MailRequest? request) is { } error)
        {
            session.Reply(error);
            return SessionAction.Continue;
        }

        MailRequest mail = request!;
        if (mail.DeclaredSize > context.Options.MaxMessageSize)
        {
            // RFC 1870 §6.1: refuse at MAIL when the declared size is over the limit.
            session.RejectSender(SmtpReplies.SizeExceedsLimit, mail.Sender);
            return SessionAction.Continue;
        }

        if (!context.Submitter.HasRoomFor(mail.DeclaredSize ?? 0))
        {
            // Postfix's queue_minfree: turn the sender away before it sends rather than fail it after DATA.
            session.RejectSender(SmtpReplies.InsufficientStorage, mail.Sender);
            return SessionAction.Continue;
        }

        // Every authenticated session, port 25 included: AUTH grants relaying there too, so without the check one
        // user could relay mail as any sender.
        if (session.AuthenticatedUser is not null && context.Options.SenderLoginMatch && mail.Sender.Length > 0)
        {
            SmtpReply? refusal = await CheckSenderOwnedAsync(session, mail.Sender, cancellationToken).ConfigureAwait(false);
            if (refusal is { } reply)
            {
                session.RejectSender(reply, mail.Sender);
                return SessionAction.Continue;
            }
        }

        // The milters after this server's own checks, before the message counts against the sending limits.
        if (await session.MilterMailAsync(mail.Sender).ConfigureAwait(false) is { } filtered)
        {
            session.RejectSender(filtered, mail.Sender);

            // A milter's 421 ends the session, as any 421 does (RFC 5321 §3.8).
            return filtered.Code == 421 ? SessionAction.Close : SessionAction.Continue;
        }

        if (await SendingLimitCheck.CountMessageAsync(session, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            session.RejectSender(limited, mail.Sender);
            return SessionAction.Continue;
        }

        session.StartTransaction(mail);
        session.Reply(SmtpReplies.SenderOk);
        return SessionAction.Continue;
    }

    /// <summary>Postfix's reject_sender_login_mismatch: the sender is the login or an address that resolves to it.</summary>
    private static async ValueTask<SmtpReply?> CheckSenderOwnedAsync(SmtpSession session, string sender, CancellationToken cancellationToken)
    {
        string user = session.AuthenticatedUser!;
        EmailAddress address = EmailAddress.Parse(sender);
        if (string.Equals(address.Key, user, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            RecipientResolution resolution = await session.Context.Directory.ResolveRecipientAsync(address.ToString(), cancellationToken).ConfigureAwait(false);
            if (resolution.Status == RecipientStatus.Resolved
                && resolution.LocalMailboxes.Any(m => string.Equals(m, user, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }
        }
        catch (DirectoryUnavailableException ex)
        {
            SmtpLog.DirectoryFailed(session.Context.Diagnostics, ex, sender);
            return new SmtpReply(451, "4.3.0", $"<{sender}>: Temporary lookup failure");
        }

        return new SmtpReply(553, "5.7.1", $"<{sender}>: Sender address rejected: not owned by user {user}");
    }
}

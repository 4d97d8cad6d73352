using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Policy.Srs;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// RCPT TO an SRS address of one of our domains (a bounce of mail an alias forwarded): a valid one is delivered to the
/// address it encodes, wherever that is; a forged or expired one is refused, so SRS addresses relay for nobody.
/// </summary>
internal static class SrsRecipient
{
    public static async ValueTask AcceptOrRefuseAsync(SmtpSession session, RcptRequest rcpt, string address, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        SrsReversal reversal = context.Outbound!.Srs.Reverse(address);
        if (reversal.Status != SrsReversalStatus.Reversed || !EmailAddress.TryParse(reversal.Address, out EmailAddress? original))
        {
            session.RejectRecipient(new SmtpReply(550, "5.1.1", $"<{rcpt.Address}>: Recipient address rejected: {reversal.Problem ?? "invalid SRS address"}"), rcpt.Address);
            return;
        }

        RecipientResolution resolution;
        try
        {
            resolution = await context.Directory.ResolveRecipientAsync(original!.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            SmtpLog.DirectoryFailed(context.Diagnostics, ex, original!.ToString());
            session.RejectRecipient(new SmtpReply(451, "4.3.0", $"<{rcpt.Address}>: Temporary lookup failure"), rcpt.Address);
            return;
        }

        switch (resolution.Status)
        {
            case RecipientStatus.Resolved:
                session.AddRecipients(RcptCommand.Expand(rcpt, resolution));
                break;
            case RecipientStatus.NotLocal:
                session.AddRecipients([RcptCommand.Recipient(rcpt, original.ToString(), RecipientRoute.Remote)]);
                break;
            default:
                session.RejectRecipient(new SmtpReply(550, "5.1.1", $"<{rcpt.Address}>: Recipient address rejected: User unknown in virtual mailbox table"), rcpt.Address);
                return;
        }

        session.Reply(SmtpReplies.RecipientOk);
    }
}

using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// RCPT TO (RFC 5321 §4.1.1.3): the recipient policy. Local addresses must resolve in the directory; anything
/// else is relaying, allowed only to authenticated or trusted clients (DESIGN invariant 2).
/// </summary>
internal sealed class RcptCommand : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        if (RcptCommandParser.TryParse(argument, session.Mail!.SmtpUtf8, out RcptRequest? request) is { } error)
        {
            session.Reply(error);
            return SessionAction.Continue;
        }

        RcptRequest rcpt = request!;
        if (session.AcceptedRcptCount >= context.Options.MaxRecipients)
        {
            session.RejectRecipient(SmtpReplies.TooManyRecipients, rcpt.Address);
            return SessionAction.Continue;
        }

        // Postfix's reject_rbl_client, after permit_sasl_authenticated: an authenticated or trusted client is not asked about.
        if (await session.BlocklistVerdictAsync(cancellationToken).ConfigureAwait(false) is { Blocked: true } listed)
        {
            string reason = listed.Text is null ? "" : "; " + listed.Text;
            session.RejectRecipient(new SmtpReply(554, "5.7.1", $"Service unavailable; client [{session.ClientAddress}] blocked using {listed.Zone}{reason}"), rcpt.Address);
            return SessionAction.Continue;
        }

        // RFC 5321 §4.5.1: the bare "Postmaster" is this host's postmaster.
        string address = rcpt.IsBarePostmaster
            ? $"postmaster@{context.Options.Hostname.ToLowerInvariant()}"
            : EmailAddress.Parse(rcpt.Address).ToString();
        RecipientResolution resolution;
        bool full;
        try
        {
            resolution = await context.Directory.ResolveRecipientAsync(address, cancellationToken).ConfigureAwait(false);
            full = await IsFullAsync(context, resolution, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            SmtpLog.DirectoryFailed(context.Diagnostics, ex, address);
            session.RejectRecipient(new SmtpReply(451, "4.3.0", $"<{rcpt.Address}>: Temporary lookup failure"), rcpt.Address);
            return SessionAction.Continue;
        }

        if (resolution.Status != RecipientStatus.NotLocal && context.Outbound is not null && Policy.Srs.SrsRewriter.IsSrs(address))
        {
            await SrsRecipient.AcceptOrRefuseAsync(session, rcpt, address, cancellationToken).ConfigureAwait(false);
            return SessionAction.Continue;
        }

        // The milters hear of a recipient this server would take, before it counts against the sending limits; their
        // refusal refuses this recipient alone (Postfix's milter_rcpt_event).
        bool acceptable = (resolution.Status == RecipientStatus.Resolved && !full) || (resolution.Status == RecipientStatus.NotLocal && session.MayRelay);
        if (acceptable && await session.MilterRecipientAsync(rcpt.Address).ConfigureAwait(false) is { } filtered)
        {
            session.RejectRecipient(filtered, rcpt.Address);

            // A milter's 421 ends the session, as any 421 does (RFC 5321 §3.8).
            return filtered.Code == 421 ? SessionAction.Close : SessionAction.Continue;
        }

        switch (resolution.Status)
        {
            case RecipientStatus.Resolved when full:
                // Postfix's wording for a full mailbox (RFC 3463 X.2.2: mailbox full).
                session.RejectRecipient(new SmtpReply(552, "5.2.2", $"<{rcpt.Address}>: Recipient address rejected: Mailbox full"), rcpt.Address);
                break;
            // A recipient about to be accepted is counted against the sending limits here, in the guard, and only here.
            case RecipientStatus.Resolved when SendingLimitCheck.CountRecipient(session) is { } limited:
                session.RejectRecipient(limited, rcpt.Address);
                break;
            case RecipientStatus.Resolved:
                session.AddRecipients(Expand(rcpt, resolution));
                session.Reply(SmtpReplies.RecipientOk);
                break;
            case RecipientStatus.Unknown:
                session.RejectRecipient(
                    new SmtpReply(550, "5.1.1", $"<{rcpt.Address}>: Recipient address rejected: User unknown in virtual mailbox table"),
                    rcpt.Address);
                break;
            case RecipientStatus.NotLocal when session.MayRelay && SendingLimitCheck.CountRecipient(session) is { } limited:
                session.RejectRecipient(limited, rcpt.Address);
                break;
            case RecipientStatus.NotLocal when session.MayRelay:
                session.AddRecipients([Recipient(rcpt, address, RecipientRoute.Remote)]);
                session.Reply(SmtpReplies.RecipientOk);
                break;
            default:
                session.RejectRecipient(new SmtpReply(554, "5.7.1", $"<{rcpt.Address}>: Relay access denied"), rcpt.Address);
                break;
        }

        return SessionAction.Continue;
    }

    /// <summary>
    /// Refused only when every destination is a local mailbox at or over its quota; when an alias also reaches
    /// other mailboxes or remote addresses, the message is taken and local delivery bounces the full ones.
    /// </summary>
    private static async ValueTask<bool> IsFullAsync(SmtpServerContext context, RecipientResolution resolution, CancellationToken cancellationToken)
    {
        if (context.Quota is null || resolution.Status != RecipientStatus.Resolved || resolution.ExternalAddresses.Count > 0)
        {
            return false;
        }

        foreach (string mailbox in resolution.LocalMailboxes)
        {
            if (!await context.Quota.IsFullAsync(mailbox, 0, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return resolution.LocalMailboxes.Count > 0;
    }

    /// <summary>
    /// The destinations; a plus-address that reached its mailboxes through the base address carries the detail to
    /// them (for Sieve's subaddress and the detail folder), as Postfix propagates the extension through virtual(5).
    /// </summary>
    internal static IEnumerable<EnvelopeRecipient> Expand(RcptRequest rcpt, RecipientResolution resolution) =>
        resolution.LocalMailboxes.Select(m => Recipient(rcpt, m, RecipientRoute.Local) with { Detail = resolution.Detail })
            .Concat(resolution.ExternalAddresses.Select(a => Recipient(rcpt, a, RecipientRoute.Remote)));

    internal static EnvelopeRecipient Recipient(RcptRequest rcpt, string address, RecipientRoute route) => new()
    {
        Address = address,
        OriginalAddress = rcpt.Address,
        Route = route,
        Notify = rcpt.Notify,
        OriginalRecipientParameter = rcpt.OriginalRecipient,
    };
}

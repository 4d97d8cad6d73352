using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Policy.Limits;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>
/// The hourly sending limits of an authenticated session (<see cref="SendingLimitsOptions"/>): one message counted at
/// MAIL and one recipient at each RCPT about to be accepted, per user and per client address (trusted networks
/// exempt from the latter, as anvil exempts mynetworks). Past a limit: <c>450 4.7.1</c> in Postfix's words, logged.
/// </summary>
internal static class SendingLimitCheck
{
    /// <summary>At MAIL: counts the message or returns the refusal. Reads the user's own limits for the transaction.</summary>
    public static async ValueTask<SmtpReply?> CountMessageAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        if (context.SendingLimits is null || session.AuthenticatedUser is not { } user)
        {
            return null;
        }

        session.UserSendingLimits = await UserLimitsAsync(context, user, cancellationToken).ConfigureAwait(false);
        SendingLimitRefusal? refusal = context.SendingLimits.TryCountMessage(user, session.UserSendingLimits.MessagesPerHour, ClientKey(session));
        return refusal is null ? null : Refuse(session, refusal, "Message delivery request", "too much mail");
    }

    /// <summary>At RCPT, for a recipient about to be accepted: counts it or returns the refusal.</summary>
    public static SmtpReply? CountRecipient(SmtpSession session)
    {
        SmtpServerContext context = session.Context;
        if (context.SendingLimits is null || session.AuthenticatedUser is not { } user)
        {
            return null;
        }

        SendingLimitRefusal? refusal = context.SendingLimits.TryCountRecipient(user, session.UserSendingLimits?.RecipientsPerHour, ClientKey(session));
        return refusal is null ? null : Refuse(session, refusal, "Recipient address", "too many recipients");
    }

    private static async ValueTask<UserSendingLimits> UserLimitsAsync(SmtpServerContext context, string user, CancellationToken cancellationToken)
    {
        if (context.UserLimits is null)
        {
            return UserSendingLimits.Defaults;
        }

        try
        {
            return await context.UserLimits.GetSendingLimitsAsync(user, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            // The defaults still hold; the transaction's other lookups answer 451 if the database is really away.
            SmtpLog.DirectoryFailed(context.Diagnostics, ex, user);
            return UserSendingLimits.Defaults;
        }
    }

    private static string? ClientKey(SmtpSession session) =>
        session.IsTrustedClient ? null : ClientAddressBlock.Describe(session.Client.RemoteEndPoint.Address);

    private static SmtpReply Refuse(SmtpSession session, SendingLimitRefusal refusal, string what, string reply)
    {
        SmtpLog.RateLimitExceeded(session.Context.Smtpd, what, refusal.Limit, refusal.PerUser ? "sasl_username=" + refusal.Key : refusal.Key, session.ClientName, session.ClientAddress, session.Client.ListenerName);

        // Postfix's anvil replies: "450 4.7.1 Error: too much mail from 192.0.2.1", "... too many recipients from ...".
        return new SmtpReply(450, "4.7.1", $"Error: {reply} from {refusal.Key}");
    }
}

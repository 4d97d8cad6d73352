using Mailroom.Core.Telemetry;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>Records the SMTP server's messages in <see cref="MailroomMetrics"/>, labelled by listener, stage and reason.</summary>
internal static class SmtpMetrics
{
    public static void Received(SmtpSession session) =>
        MailroomMetrics.MessagesReceived.Add(1, MailroomMetrics.Tag("service", session.Client.ListenerName));

    /// <summary>A refused MAIL (<c>mail</c>), RCPT (<c>rcpt</c>) or message content (<c>data</c>).</summary>
    public static void Rejected(SmtpSession session, string stage, SmtpReply reply) =>
        MailroomMetrics.MessagesRejected.Add(
            1,
            MailroomMetrics.Tag("service", session.Client.ListenerName),
            MailroomMetrics.Tag("stage", stage),
            MailroomMetrics.Tag("reason", Reason(reply)));

    /// <summary>
    /// A short reason named after the reply's RFC 3463 enhanced status code, so that a dashboard needs no table of
    /// texts: 5.7.1 at RCPT is a relay refusal, 5.1.1 an unknown user, X.2.2 a full mailbox, and so on.
    /// </summary>
    internal static string Reason(SmtpReply reply) => reply.Enhanced switch
    {
        "5.7.1" when reply.Text.Contains("Relay access denied", StringComparison.Ordinal) => "relay_denied",
        "5.7.1" => "sender_not_owned",
        "5.1.1" or "5.1.0" => "unknown_recipient",
        "5.2.2" or "4.2.2" => "mailbox_full",
        "5.3.4" => "message_too_large",
        "4.3.1" => "insufficient_storage",
        "4.3.0" => "temporary_failure",
        "5.5.2" => "bare_line_ending",
        "5.6.0" => "nul_character",
        "4.5.3" => "too_many_recipients",
        "5.7.0" => "authentication_required",
        _ => reply.IsError && reply.Code >= 500 ? "other_permanent" : "other_temporary",
    };
}

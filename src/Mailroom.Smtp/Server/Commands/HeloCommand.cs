using System.Globalization;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>HELO and EHLO (RFC 5321 §4.1.1.1); EHLO lists the extensions this server implements.</summary>
internal sealed class HeloCommand(bool extended) : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        // The name goes into Received: headers and log lines, so no spaces or control characters.
        if (argument.Length == 0 || argument.Any(c => c <= ' ' || c == '\x7F'))
        {
            session.Reply(extended ? SmtpReplies.EhloSyntax : SmtpReplies.HeloSyntax);
            return SessionAction.Continue;
        }

        // RFC 5321 §4.1.4: a new EHLO/HELO resets any transaction in progress.
        await session.AbortTransactionAsync().ConfigureAwait(false);
        session.Helo = argument;
        session.Extended = extended;
        session.State = SmtpState.Greeted;
        if (await session.MilterHeloAsync().ConfigureAwait(false) is { } disconnect)
        {
            session.Reply(disconnect);
            return SessionAction.Close;
        }

        if (!extended)
        {
            session.Reply(new SmtpReply(250, "", session.Hostname));
            return SessionAction.Continue;
        }

        SmtpOptions options = session.Context.Options;
        var lines = new List<string>
        {
            session.Hostname,
            "PIPELINING",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {options.MaxMessageSize}"),
        };
        if (options.EnableVrfy)
        {
            lines.Add("VRFY");
        }

        if (!session.Client.IsSecure)
        {
            lines.Add("STARTTLS");
        }

        if (session.AuthOffered)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        lines.AddRange(["ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"]);
        session.ReplyLines(250, lines);
        return SessionAction.Continue;
    }
}

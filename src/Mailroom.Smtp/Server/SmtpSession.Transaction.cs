using Mailroom.Core;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>Session and mail-transaction state (RFC 5321 §3.3), and the facts derived from it.</summary>
internal sealed partial class SmtpSession
{
    private readonly List<EnvelopeRecipient> _recipients = [];

    public string? Helo { get; set; }

    /// <summary>The client said EHLO (ESMTP) rather than HELO.</summary>
    public bool Extended { get; set; }

    public string? AuthenticatedUser { get; set; }

    public string? AuthMethod { get; set; }

    /// <summary>The authenticated user's own hourly sending limits, read at MAIL for the transaction's RCPTs.</summary>
    public Directory.UserSendingLimits? UserSendingLimits { get; set; }

    public MailRequest? Mail { get; private set; }

    public IReadOnlyList<EnvelopeRecipient> Recipients => _recipients;

    /// <summary>Accepted RCPT commands (the limit counts commands, not alias expansions).</summary>
    public int AcceptedRcptCount { get; private set; }

    /// <summary>A RCPT of this transaction was refused (DATA then says "no valid recipients").</summary>
    public bool RecipientRejected { get; set; }

    /// <summary>The message being received by BDAT chunks, if any.</summary>
    public MessageTransaction? Chunking { get; set; }

    /// <summary>AUTH is offered: after TLS, or before it only when configured (DESIGN invariant 3).</summary>
    public bool AuthOffered => Connection.IsSecure || Context.Options.AllowPlaintextAuth;

    /// <summary>The client may relay: authenticated or in a trusted network (DESIGN invariant 2).</summary>
    public bool MayRelay => AuthenticatedUser is not null
        || NetworkList.Contains(Context.TrustedNetworks, Connection.RemoteEndPoint.Address);

    /// <summary>Postfix's <c>proto=</c> in reject lines.</summary>
    public string LogProtocol => Extended ? "ESMTP" : "SMTP";

    /// <summary>RFC 3848 (and RFC 6531 §3.7.3 for SMTPUTF8) WITH keyword for Received: and the envelope.</summary>
    public string TraceProtocol
    {
        get
        {
            if (!Extended)
            {
                return "SMTP";
            }

            string suffix = (Connection.IsSecure ? "S" : "") + (AuthenticatedUser is not null ? "A" : "");
            return (Mail?.SmtpUtf8 == true ? "UTF8SMTP" : "ESMTP") + suffix;
        }
    }

    public void StartTransaction(MailRequest mail)
    {
        Mail = mail;
        State = SmtpState.Mail;
    }

    public void AddRecipients(IEnumerable<EnvelopeRecipient> recipients)
    {
        foreach (EnvelopeRecipient recipient in recipients)
        {
            if (!_recipients.Exists(r => r.Route == recipient.Route && string.Equals(r.Address, recipient.Address, StringComparison.OrdinalIgnoreCase)))
            {
                _recipients.Add(recipient);
            }
        }

        AcceptedRcptCount++;
        State = SmtpState.Rcpt;
    }

    public Envelope BuildEnvelope()
    {
        MailRequest mail = Mail ?? throw new InvalidOperationException("No mail transaction.");
        return new Envelope
        {
            Sender = mail.Sender,
            Recipients = [.. _recipients],
            Return = mail.Return,
            EnvelopeId = mail.EnvelopeId,
            BodyType = mail.BodyType,
            SmtpUtf8 = mail.SmtpUtf8,
            ArrivalTime = Context.TimeProvider.GetUtcNow(),
            ClientName = ClientName,
            ClientAddress = ClientAddress,
            Helo = Helo,
            Protocol = TraceProtocol,
            AuthenticatedUser = AuthenticatedUser,
        };
    }

    /// <summary>Ends the mail transaction (RSET, EHLO, after DATA/BDAT LAST); the session stays greeted.</summary>
    public void ResetTransaction()
    {
        Mail = null;
        _recipients.Clear();
        AcceptedRcptCount = 0;
        RecipientRejected = false;
        State = Helo is null ? SmtpState.Connected : SmtpState.Greeted;
    }

    /// <summary>Aborts a BDAT message in progress (its spool file is removed) and resets the transaction.</summary>
    public async ValueTask AbortTransactionAsync()
    {
        await DisposeTransactionAsync().ConfigureAwait(false);
        ResetTransaction();
    }

    private async ValueTask DisposeTransactionAsync()
    {
        if (Chunking is not null)
        {
            MessageTransaction chunking = Chunking;
            Chunking = null;
            await chunking.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Logs a refused RCPT the way Postfix does, then answers it.</summary>
    public void RejectRecipient(SmtpReply reply, string recipient)
    {
        RecipientRejected = true;
        SmtpLog.RcptRejected(Context.Smtpd, ClientName, ClientAddress, reply.ToString(), Mail?.Sender ?? "", recipient, LogProtocol, Helo ?? "");
        SmtpMetrics.Rejected(this, "rcpt", reply);
        Reply(reply);
    }

    /// <summary>Logs a refused MAIL the way Postfix does, then answers it.</summary>
    public void RejectSender(SmtpReply reply, string sender)
    {
        SmtpLog.MailRejected(Context.Smtpd, ClientName, ClientAddress, reply.ToString(), sender, LogProtocol, Helo ?? "");
        SmtpMetrics.Rejected(this, "mail", reply);
        Reply(reply);
    }
}

using Mailroom.Policy.Milter;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>The listener's milters told each SMTP event when it happens (Postfix's smtpd_milters), and their answers as replies.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>The milters' conversation for this session; null when the listener has none.</summary>
    public MilterSession? Milters { get; private set; }

    /// <summary>
    /// Connects the milters and tells them of the client, before the greeting, and returns the greeting. Null when a
    /// milter answered 421: that is then the greeting, and the session ends. Any other refusal persists (MAIL, AUTH,
    /// STARTTLS and VRFY get it), and as in Postfix's smtpd a reject changes the greeting to
    /// <c>554 host ESMTP not accepting connections</c> while a tempfail leaves the usual 220.
    /// </summary>
    private async ValueTask<string?> ConnectMiltersAsync(CancellationToken ct)
    {
        string greeting = $"220 {Hostname} ESMTP Mailroom";
        if (Context.Milters is not { IsEmpty: false } chain)
        {
            return greeting;
        }

        Milters = chain.OpenSession(ct);
        MilterDecision decision = await Milters.ConnectAsync(MilterFacts()).ConfigureAwait(false);
        if (IsDisconnect(decision))
        {
            WriteLine(ToReply(decision).ToString());
            return null;
        }

        return Milters.SessionRefusal is { ReplyCode: >= 500 } ? $"554 {Hostname} ESMTP not accepting connections" : greeting;
    }

    /// <summary>HELO/EHLO to the milters: the reply to give instead of 250 only for a 421 (the session then ends).</summary>
    public async ValueTask<SmtpReply?> MilterHeloAsync()
    {
        if (Milters is null)
        {
            return null;
        }

        MilterDecision decision = await Milters.HeloAsync(MilterFacts()).ConfigureAwait(false);
        return IsDisconnect(decision) ? ToReply(decision) : null;
    }

    /// <summary>MAIL FROM to the milters (after ABORT of the previous message): their refusal, if any.</summary>
    public async ValueTask<SmtpReply?> MilterMailAsync(string sender)
    {
        if (Milters is null)
        {
            return null;
        }

        MilterDecision decision = await Milters.MailAsync(MilterFacts() with { Sender = sender }).ConfigureAwait(false);
        return decision.Refuses ? ToReply(decision) : null;
    }

    /// <summary>RCPT TO to the milters: their refusal of this recipient, if any.</summary>
    public async ValueTask<SmtpReply?> MilterRecipientAsync(string recipient)
    {
        if (Milters is null)
        {
            return null;
        }

        MilterDecision decision = await Milters.RecipientAsync(MilterFacts() with { Sender = Mail?.Sender ?? "" }, recipient).ConfigureAwait(false);
        return decision.Refuses ? ToReply(decision) : null;
    }

    /// <summary>
    /// For commands that are no milter event (AUTH, STARTTLS, VRFY): the refusal that persists from the milters' connect or
    /// HELO, or from a failed milter's default action, as Postfix's <c>milter_other_event</c> answers them. A 5xx is
    /// given as it is; a 4xx too, except where Postfix maps it to <c>454 4.3.0 Try again later</c> (AUTH and STARTTLS,
    /// for Sendmail compatibility: <paramref name="tempfailAs454"/>).
    /// </summary>
    public SmtpReply? MilterSessionRefusal(bool tempfailAs454)
    {
        if (Milters?.SessionRefusal is not { } refusal)
        {
            return null;
        }

        return tempfailAs454 && refusal.ReplyCode / 100 == 4 ? new SmtpReply(454, "4.3.0", "Try again later") : ToReply(refusal);
    }

    /// <summary>What the milters are told now (the macros' values); the transaction adds the queue id and size at DATA.</summary>
    public MilterMessage MilterFacts()
    {
        var tls = Client.Tls;
        return new MilterMessage
        {
            Hostname = Hostname,
            DaemonName = Context.IsSubmission ? "submission" : "smtpd",
            Client = Client.RemoteEndPoint,
            Local = Client.LocalEndPoint,
            ClientName = ClientName,
            Helo = Helo ?? ClientAddress,
            AuthenticatedUser = AuthenticatedUser,
            AuthMethod = AuthMethod,
            TlsVersion = tls?.ProtocolName,
            TlsCipher = tls?.CipherSuiteName,
            TlsBits = tls?.KeyBits ?? 0,
        };
    }

    private async ValueTask CloseMiltersAsync()
    {
        if (Milters is not null)
        {
            await Milters.DisposeAsync().ConfigureAwait(false);
            Milters = null;
        }
    }

    private static bool IsDisconnect(MilterDecision decision) => decision.ReplyCode == 421;

    private static SmtpReply ToReply(MilterDecision decision) => new(decision.ReplyCode, decision.ReplyDsn, decision.ReplyText);
}

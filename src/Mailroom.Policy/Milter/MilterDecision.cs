namespace Mailroom.Policy.Milter;

/// <summary>What the milters said at one stage (connect, HELO, MAIL, RCPT), as this server acts on it: go on, or the reply to give.</summary>
public readonly record struct MilterDecision(MilterVerdictKind Kind, int ReplyCode, string ReplyDsn, string ReplyText, string? DecidedBy)
{
    /// <summary>Go on (every milter continued or accepted).</summary>
    public static MilterDecision Continue { get; } = new(MilterVerdictKind.Accept, 0, "", "", null);

    /// <summary>A 4xx or 5xx reply is due.</summary>
    public bool Refuses => Kind is MilterVerdictKind.Reject or MilterVerdictKind.Tempfail;

    /// <summary>The reply as Postfix logs it: <c>550 5.7.1 text</c>.</summary>
    public override string ToString() => $"{ReplyCode} {ReplyDsn} {ReplyText}";

    internal static MilterDecision Rejected(string milter) => new(MilterVerdictKind.Reject, 550, "5.7.1", "Command rejected", milter);

    internal static MilterDecision Tempfailed(string milter) => new(MilterVerdictKind.Tempfail, 451, "4.7.1", "Service unavailable - try again later", milter);

    /// <summary>A refusing or discarding reply (SMFIR_REJECT, SMFIR_TEMPFAIL, SMFIR_DISCARD, SMFIR_REPLYCODE) as the decision it is.</summary>
    internal static MilterDecision FromReply(MilterReply reply, string milter) => reply.Code switch
    {
        MilterProtocol.Reject => Rejected(milter),
        MilterProtocol.TempFail => Tempfailed(milter),
        MilterProtocol.Discard => new(MilterVerdictKind.Discard, 250, "2.0.0", "Ok", milter),
        MilterProtocol.ReplyCode => new(reply.SmtpCode >= 500 ? MilterVerdictKind.Reject : MilterVerdictKind.Tempfail, reply.SmtpCode, reply.Dsn, reply.Text, milter),
        _ => throw new MilterProtocolException($"milter sent an unexpected reply '{(char)reply.Code}'"),
    };
}

namespace Mailroom.Policy.Dmarc;

/// <summary>
/// The DMARC evaluation of one message: the result keyword (RFC 8601: pass, fail, none, temperror, permerror), the
/// RFC5322.From domain, the record that decided and the policy it asked for, and the disposition applied after
/// <c>sp=</c>, <c>pct=</c> and local policy, written as OpenDMARC does: <c>dmarc=fail (p=reject dis=reject) header.from=…</c>.
/// </summary>
public sealed record DmarcVerdict(string Result, string FromDomain)
{
    public DmarcRecord? Record { get; init; }

    /// <summary>The policy the record asks for this domain (after <c>sp=</c>).</summary>
    public DmarcPolicy Requested { get; init; } = DmarcPolicy.None;

    /// <summary>What is done: <see cref="DmarcPolicy.None"/> unless the message failed and the policy applies.</summary>
    public DmarcPolicy Disposition { get; init; } = DmarcPolicy.None;

    /// <summary>
    /// A DNS failure hid an identifier that could have passed: a receiver that would reject should defer instead.
    /// </summary>
    public bool MightPassLater { get; init; }

    /// <summary>Why local policy overrode a failure (<c>arc</c> when a trusted sealer vouched for it).</summary>
    public string? Override { get; init; }

    public string? Problem { get; init; }

    public string Comment => Record is null ? "" : $"p={Word(Requested)} dis={Word(Disposition)}" + (Override is null ? "" : $" override={Override}");

    private static string Word(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => "reject",
        DmarcPolicy.Quarantine => "quarantine",
        _ => "none",
    };
}

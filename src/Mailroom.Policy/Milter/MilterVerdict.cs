namespace Mailroom.Policy.Milter;

/// <summary>
/// What the milters decided about one message: accept (with modifications), reject, tempfail or discard, the reply to
/// give, a quarantine reason, and a replaced body spooled to a temporary file that disposing removes.
/// </summary>
public sealed class MilterVerdict : IDisposable
{
    private readonly List<MilterModification> _modifications = [];

    public MilterVerdictKind Kind { get; private set; } = MilterVerdictKind.Accept;

    public int ReplyCode { get; private set; }

    public string ReplyDsn { get; private set; } = "";

    public string ReplyText { get; private set; } = "";

    /// <summary>The milter (its address) that decided a refusal, for the log.</summary>
    public string? DecidedBy { get; private set; }

    /// <summary>A milter asked for quarantine (SMFIR_QUARANTINE): the message is kept on hold with this reason.</summary>
    public string? QuarantineReason { get; internal set; }

    public IReadOnlyList<MilterModification> Modifications => _modifications;

    /// <summary>The new body (SMFIR_REPLBODY), positioned at its start; null when the body is unchanged.</summary>
    public Stream? ReplacedBody { get; internal set; }

    /// <summary>A header field or the body changes: the content must be written again.</summary>
    public bool ChangesContent => ReplacedBody is not null || _modifications.Exists(m => m is HeaderAdded or HeaderInserted or HeaderChanged);

    /// <summary>The sender or the recipients change.</summary>
    public bool ChangesEnvelope => _modifications.Exists(m => m is SenderChanged or RecipientAdded or RecipientDeleted);

    internal int ModificationCount => _modifications.Count;

    internal void Add(MilterModification modification) => _modifications.Add(modification);

    internal void Refuse(MilterDecision decision)
    {
        Kind = decision.Kind;
        ReplyCode = decision.ReplyCode;
        ReplyDsn = decision.ReplyDsn;
        ReplyText = decision.ReplyText;
        DecidedBy = decision.DecidedBy;
    }

    public void Dispose() => ReplacedBody?.Dispose();
}

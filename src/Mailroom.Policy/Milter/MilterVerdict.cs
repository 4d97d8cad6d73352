namespace Mailroom.Policy.Milter;

/// <summary>
/// What the milters decided about one message: accept (with modifications), reject, tempfail or discard, the reply to
/// give, a quarantine reason, and a replaced body spooled to a temporary file that disposing removes.
/// </summary>
public sealed class MilterVerdict : IDisposable
{
    private readonly List<MilterModification> _modifications = [];
    private readonly HashSet<string> _rejectedRecipients = new(StringComparer.OrdinalIgnoreCase);

    public MilterVerdictKind Kind { get; private set; } = MilterVerdictKind.Accept;

    public int ReplyCode { get; private set; }

    public string ReplyDsn { get; private set; } = "";

    public string ReplyText { get; private set; } = "";

    /// <summary>The milter (its address) that decided a refusal, for the log.</summary>
    public string? DecidedBy { get; private set; }

    /// <summary>A milter asked for quarantine (SMFIR_QUARANTINE): the message is kept on hold with this reason.</summary>
    public string? QuarantineReason { get; internal set; }

    public IReadOnlyList<MilterModification> Modifications => _modifications;

    /// <summary>Recipients (as given in RCPT TO) a milter refused at its recipient step: they are left out.</summary>
    public IReadOnlySet<string> RejectedRecipients => _rejectedRecipients;

    /// <summary>The new body (SMFIR_REPLBODY), positioned at its start; null when the body is unchanged.</summary>
    public Stream? ReplacedBody { get; internal set; }

    /// <summary>A header field or the body changes: the content must be written again.</summary>
    public bool ChangesContent => ReplacedBody is not null || _modifications.Exists(m => m is HeaderAdded or HeaderInserted or HeaderChanged);

    /// <summary>The sender or the recipients change.</summary>
    public bool ChangesEnvelope => _rejectedRecipients.Count > 0 || _modifications.Exists(m => m is SenderChanged or RecipientAdded or RecipientDeleted);

    internal int ModificationCount => _modifications.Count;

    internal void Add(MilterModification modification) => _modifications.Add(modification);

    internal void RejectRecipient(string recipient) => _rejectedRecipients.Add(recipient);

    internal void Refuse(MilterVerdictKind kind, int code, string dsn, string text, string milter)
    {
        Kind = kind;
        ReplyCode = code;
        ReplyDsn = dsn;
        ReplyText = text;
        DecidedBy = milter;
    }

    public void Dispose() => ReplacedBody?.Dispose();
}

namespace Mailroom.Policy.Milter;

/// <summary>What the milters decided about a message.</summary>
public enum MilterVerdictKind
{
    /// <summary>Queue it, with the modifications.</summary>
    Accept,

    /// <summary>Refuse it with the reply (5xx).</summary>
    Reject,

    /// <summary>Refuse it for now with the reply (4xx).</summary>
    Tempfail,

    /// <summary>Answer 250 and drop it (SMFIR_DISCARD).</summary>
    Discard,
}

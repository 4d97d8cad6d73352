using Mailroom.Policy.Authentication;

namespace Mailroom.Policy;

/// <summary>What to do with a message at end of DATA.</summary>
public enum InboundAction
{
    Accept,

    /// <summary>Accept, and deliver to the recipients' Junk folders (DMARC quarantine).</summary>
    Quarantine,

    /// <summary>Refuse with a 5xx reply (DMARC reject, SPF fail when configured).</summary>
    Reject,

    /// <summary>Answer 4xx: a DNS failure hid what a refusing policy needs to know.</summary>
    Defer,
}

/// <summary>The verdict of <see cref="InboundChecker"/>: the action, its SMTP reply and the header fields to add.</summary>
public sealed record InboundDecision(InboundAction Action, InboundAuthentication Results, string HeaderPrefix)
{
    public int ReplyCode { get; init; }

    public string ReplyDsn { get; init; } = "";

    public string ReplyText { get; init; } = "";
}

using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Runtime;

/// <summary>An action a script executed, with where (script and position) for conflict messages and logs.</summary>
public abstract record SieveAction(string Script, SourcePosition Position)
{
    /// <summary>Pigeonhole's name of the action in conflict messages ("store", "redirect", ...).</summary>
    public abstract string Kind { get; }
}

/// <summary><c>keep</c> or <c>fileinto</c>: store into <paramref name="Folder"/> with flags.</summary>
public sealed record StoreMessageAction(string Script, SourcePosition Position, string Folder, IReadOnlyList<string> Flags, bool Create, bool Copy)
    : SieveAction(Script, Position)
{
    public override string Kind => "store";
}

/// <summary><c>redirect</c> to <paramref name="Address"/>; <paramref name="Copy"/> keeps the implicit keep (RFC 3894).</summary>
public sealed record RedirectMessageAction(string Script, SourcePosition Position, string Address, bool Copy) : SieveAction(Script, Position)
{
    public override string Kind => "redirect";
}

/// <summary><c>reject</c> / <c>ereject</c> (RFC 5429).</summary>
public sealed record RejectMessageAction(string Script, SourcePosition Position, string Reason, bool Extended) : SieveAction(Script, Position)
{
    public override string Kind => "reject";
}

/// <summary><c>discard</c> (RFC 5228 §4.4).</summary>
public sealed record DiscardMessageAction(string Script, SourcePosition Position) : SieveAction(Script, Position)
{
    public override string Kind => "discard";
}

/// <summary>
/// <c>vacation</c> (RFC 5230, RFC 6131), as decided: <see cref="Send"/> false when a rule of RFC 5230 §4.5-4.6 (or an
/// earlier reply within the period) says no reply is due, with the reason in <see cref="SkipReason"/>.
/// </summary>
public sealed record VacationAction(string Script, SourcePosition Position) : SieveAction(Script, Position)
{
    public override string Kind => "vacation";

    public required string Reason { get; init; }

    public string? Subject { get; init; }

    public string? From { get; init; }

    public bool Mime { get; init; }

    public required string Handle { get; init; }

    /// <summary>The period within which a sender gets one reply.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Whom the reply goes to: the envelope sender.</summary>
    public required string Recipient { get; init; }

    /// <summary>The address the reply is from (the <c>:from</c>, or the recipient).</summary>
    public required string ReplyFrom { get; init; }

    public bool Send { get; init; }

    public string? SkipReason { get; init; }

    /// <summary>The tracking key recording that <see cref="Recipient"/> got this reply.</summary>
    public required string TrackingKey { get; init; }
}

namespace Mailroom.Policy.Srs;

/// <summary>What became of an address given to <see cref="SrsRewriter.Reverse"/>.</summary>
public enum SrsReversalStatus
{
    /// <summary>Not an SRS address: handle it as any other.</summary>
    NotSrs,

    /// <summary>A valid SRS address: deliver to <see cref="SrsReversal.Address"/>.</summary>
    Reversed,

    /// <summary>An SRS address with a wrong hash (forged) or an expired timestamp: refuse it.</summary>
    Invalid,
}

public sealed record SrsReversal(SrsReversalStatus Status, string? Address = null, string? Problem = null);

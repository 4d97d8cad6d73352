namespace Mailroom.Store.Mailboxes;

/// <summary>The UIDPLUS data of a COPY or MOVE (RFC 4315 §3 COPYUID): source and destination UIDs pairwise.</summary>
/// <param name="DestinationUidValidity">The target folder's UIDVALIDITY.</param>
/// <param name="SourceUids">The UIDs copied, ascending.</param>
/// <param name="DestinationUids">The new UIDs in the target, in the same order.</param>
public sealed record CopyResult(uint DestinationUidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

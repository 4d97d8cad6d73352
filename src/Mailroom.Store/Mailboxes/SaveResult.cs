namespace Mailroom.Store.Mailboxes;

/// <summary>What a committed <see cref="SaveTransaction"/> produced.</summary>
/// <param name="UidValidity">The folder's UIDVALIDITY; 0 when the store gives UIDs later (a Maildir delivery).</param>
/// <param name="Uids">The new messages' UIDs in the order they were added (RFC 4315 APPENDUID, COPYUID); empty when given later.</param>
public sealed record SaveResult(uint UidValidity, IReadOnlyList<uint> Uids);

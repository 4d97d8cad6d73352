namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The answer of <see cref="MailFolder.GetExpungedSince"/>: the UIDs the folder remembers leaving it after a
/// mod-sequence, ascending. When <see cref="Complete"/> is false the folder has forgotten some expunges after that
/// mod-sequence (its memory is bounded, or it was loaded afresh), so a caller needing every one (RFC 7162 §3.2.5.1
/// VANISHED (EARLIER)) must answer with every UID that is not in the folder any more instead.
/// </summary>
public sealed record ExpungedSince(IReadOnlyList<uint> Uids, bool Complete);

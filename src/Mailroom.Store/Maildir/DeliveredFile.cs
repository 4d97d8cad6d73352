namespace Mailroom.Store.Maildir;

/// <summary>
/// A delivered message in place and fsynced: its record (no UID yet), its file relative to the folder (<c>new/…</c>, or
/// <c>cur/…</c> when delivered with flags) and its index entry (per <see cref="Mailboxes.CachedField"/>; null: none).
/// </summary>
internal sealed record DeliveredFile(Mailboxes.MessageRecord Record, string File, byte[]?[]? Cached);

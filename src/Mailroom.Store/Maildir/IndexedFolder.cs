namespace Mailroom.Store.Maildir;

/// <summary>A folder's row in the index cache.</summary>
internal sealed record IndexedFolder(long Id, uint UidValidity, ulong HighestModSeq, uint RecentUid, bool Existed, FolderSyncState Synced);

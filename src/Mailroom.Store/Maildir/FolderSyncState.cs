namespace Mailroom.Store.Maildir;

/// <summary>
/// What the index rows of a folder were last reconciled with: the mtimes of new/ and cur/ a complete scan saw (zero
/// when that scan cannot vouch for them: a directory changed within the coarse-mtime window, a write in progress, a
/// file name not in our canonical form), the uidlist's stamp and the next UID. When all still hold, the rows are the
/// folder and a cold open skips listing the directories.
/// </summary>
internal readonly record struct FolderSyncState(long NewTicks, long CurTicks, FileStamp UidList, uint UidNext)
{
    public bool IsKnown => NewTicks != 0 && CurTicks != 0 && UidList.Ticks != 0 && UidNext != 0;
}

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// What turned the previous snapshot of a folder into this one, computed once when the snapshot is published and
/// shared by every session holding the folder: a session that had reported the previous snapshot applies it in time
/// proportional to the change instead of diffing the whole folder (RFC 9051 §7.5.1 EXISTS, EXPUNGE, FETCH updates).
/// Only UIDs are kept, so a snapshot never holds its predecessor alive.
/// </summary>
public sealed class FolderChange
{
    internal FolderChange(long fromVersion, uint[] expunged, uint[] modified, int firstNew)
    {
        FromVersion = fromVersion;
        Expunged = expunged;
        Modified = modified;
        FirstNew = firstNew;
    }

    /// <summary>The <see cref="FolderView.Version"/> this change starts from.</summary>
    public long FromVersion { get; }

    /// <summary>The UIDs that left the folder, ascending.</summary>
    public IReadOnlyList<uint> Expunged { get; }

    /// <summary>The UIDs of messages still there whose flags, keywords or mod-sequence changed, ascending.</summary>
    public IReadOnlyList<uint> Modified { get; }

    /// <summary>
    /// The index in the new snapshot's messages of the first one that arrived; every arrival has a UID above all the
    /// previous snapshot's (UIDs only grow), so they are the snapshot's tail.
    /// </summary>
    public int FirstNew { get; }

    /// <summary>
    /// The change from <paramref name="before"/> to <paramref name="now"/> (both ascending by UID) in one merge of the
    /// two, or null when it cannot be told as arrivals at the end (another UIDVALIDITY, or a UID below the previous
    /// highest that was not there before, as after a reload): sessions then diff for themselves.
    /// </summary>
    internal static FolderChange? Between(FolderView before, uint uidValidity, MessageRecord[] now)
    {
        if (before.UidValidity != uidValidity)
        {
            return null;
        }

        IReadOnlyList<MessageRecord> old = before.Messages;
        List<uint>? expunged = null;
        List<uint>? modified = null;
        int i = 0;
        int j = 0;
        while (i < old.Count && j < now.Length)
        {
            MessageRecord a = old[i];
            MessageRecord b = now[j];
            if (a.Uid == b.Uid)
            {
                if (!ReferenceEquals(a, b) && (a.ModSeq != b.ModSeq || a.Flags != b.Flags || !a.Keywords.SequenceEqual(b.Keywords)))
                {
                    (modified ??= []).Add(b.Uid);
                }

                i++;
                j++;
            }
            else if (a.Uid < b.Uid)
            {
                (expunged ??= []).Add(a.Uid);
                i++;
            }
            else
            {
                // A message below one the previous snapshot held that it did not hold: not an arrival at the end.
                return null;
            }
        }

        for (; i < old.Count; i++)
        {
            (expunged ??= []).Add(old[i].Uid);
        }

        if (j < now.Length && old.Count > 0 && now[j].Uid <= old[^1].Uid)
        {
            return null;
        }

        return new FolderChange(before.Version, expunged?.ToArray() ?? [], modified?.ToArray() ?? [], j);
    }
}

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// One immutable snapshot of a folder, messages ascending by UID. A session keeps the snapshot it last reported
/// and diffs it against <see cref="MailFolder.Current"/> to send EXISTS, EXPUNGE and FETCH updates, or applies
/// <see cref="Change"/> when it reported the snapshot just before.
/// </summary>
public sealed class FolderView
{
    private readonly MessageRecord[] _messages;

    internal FolderView(uint uidValidity, uint uidNext, ulong highestModSeq, MessageRecord[] messages, long version, FolderView? previous = null)
    {
        Change = previous is null ? null : FolderChange.Between(previous, uidValidity, messages);
        UidValidity = uidValidity;
        UidNext = uidNext;
        HighestModSeq = highestModSeq;
        _messages = messages;
        Version = version;
    }

    public uint UidValidity { get; }

    public uint UidNext { get; }

    /// <summary>RFC 7162 §3.1.1 HIGHESTMODSEQ; never decreases for one UIDVALIDITY.</summary>
    public ulong HighestModSeq { get; }

    public IReadOnlyList<MessageRecord> Messages => _messages;

    /// <summary>
    /// What changed since the snapshot published before this one (computed once, shared by every session), or null
    /// when unknown: a session whose last reported snapshot is <see cref="FolderChange.FromVersion"/> may apply it.
    /// </summary>
    public FolderChange? Change { get; }

    /// <summary>Increases on every change of the folder.</summary>
    public long Version { get; }

    internal MessageRecord[] MessageArray => _messages;

    /// <summary>The index of <paramref name="uid"/> in <see cref="Messages"/>, or -1 when absent.</summary>
    public int IndexOfUid(uint uid)
    {
        int low = 0;
        int high = _messages.Length - 1;
        while (low <= high)
        {
            int mid = low + ((high - low) >> 1);
            uint at = _messages[mid].Uid;
            if (at == uid)
            {
                return mid;
            }

            if (at < uid)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }
}

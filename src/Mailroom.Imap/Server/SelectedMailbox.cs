using System.Collections;
using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>
/// The selected mailbox as this session's client knows it: the messages in sequence-number order (records of messages
/// expunged by others stay until the EXPUNGE may be reported), the session's \Recent messages and the snapshot version
/// last reported. <see cref="Sync"/> diffs it against the folder's current snapshot (RFC 9051 §7.5.1, §5.5).
/// </summary>
internal sealed class SelectedMailbox : IDisposable
{
    private readonly FolderLease _lease;

    // Keeps the content of messages expunged by others readable while this session still numbers them (RFC 2180 §4.1.1).
    private readonly FolderViewer _viewer;
    private readonly List<MessageRecord> _messages;
    private readonly HashSet<uint> _recent = [];

    // RFC 9051 §7.3.5 / RFC 3501 §7.2.6: the keywords this session's client was told of in FLAGS; never shrinks while
    // selected, so a FLAGS list the client holds always covers every keyword it has been shown.
    private readonly SortedSet<string> _announcedKeywords = new(StringComparer.OrdinalIgnoreCase);

    private ulong _viewModSeq;
    private ulong _fullSyncModSeq;

    public SelectedMailbox(FolderLease lease, bool readOnly)
    {
        _lease = lease;
        ReadOnly = readOnly;
        // Registered before the first snapshot is taken, so a message expunged after it is held for this session.
        _viewer = lease.Folder.AddViewer();
        FolderView view;
        uint recentFrom;
        try
        {
            // RFC 3501 §2.3.2: \Recent goes to the first session that selects the mailbox read-write after delivery;
            // EXAMINE shows the messages that are recent without claiming them (RFC 3501 §6.3.2: "the \Recent flag is
            // not cleared").
            view = readOnly ? Folder.RefreshReadOnly() : Folder.Refresh();
            recentFrom = readOnly ? Folder.RecentBoundary : Folder.ClaimRecent(view.UidNext);
        }
        catch
        {
            _viewer.Dispose();
            throw;
        }

        _messages = [.. view.Messages];
        UidValidity = view.UidValidity;
        UidNext = view.UidNext;
        _viewModSeq = view.HighestModSeq;
        _fullSyncModSeq = view.HighestModSeq;
        Version = view.Version;
        _viewer.Shown(view.Version);
        foreach (MessageRecord message in _messages)
        {
            if (message.Uid >= recentFrom)
            {
                _recent.Add(message.Uid);
            }
        }

        Uids = new UidView(_messages);
    }

    public MailFolder Folder => _lease.Folder;

    /// <summary>Selected with EXAMINE (or SELECT of a read-only mailbox): no flag changes, no expunge.</summary>
    public bool ReadOnly { get; }

    public uint UidValidity { get; }

    public uint UidNext { get; private set; }

    /// <summary>
    /// The HIGHESTMODSEQ this session may report: the folder's as of the last diff, except while an expunge the client
    /// has not been told of is pending (see <see cref="ExpungesPending"/>). RFC 7162 §3.2 (RFC 5162 erratum 1810): a
    /// client that records this value and loses the connection resynchronizes from it, so it must lie below the
    /// mod-sequence of every expunge not yet reported, or the VANISHED (EARLIER) of its next SELECT would miss them.
    /// The last diff that left nothing pending was taken when those messages still existed, so its value is below
    /// their expunges' mod-sequences.
    /// </summary>
    public ulong HighestModSeq => ExpungesPending ? _fullSyncModSeq : _viewModSeq;

    /// <summary>
    /// Messages expunged by another session are still numbered here because the commands since could not report them
    /// (FETCH, STORE, SEARCH… by sequence number, RFC 9051 §7.5.1).
    /// </summary>
    public bool ExpungesPending { get; private set; }

    /// <summary>The highest MODSEQ shown in a FETCH response since <see cref="TakeModSeqShown"/> last ran.</summary>
    public ulong ModSeqShown { get; private set; }

    /// <summary>The snapshot version last diffed.</summary>
    public long Version { get; private set; }

    /// <summary>The messages by sequence number − 1.</summary>
    public IReadOnlyList<MessageRecord> Messages => _messages;

    /// <summary>The UIDs of <see cref="Messages"/>, ascending, for <see cref="SequenceSet.ToUids"/>.</summary>
    public IReadOnlyList<uint> Uids { get; }

    public int Count => _messages.Count;

    /// <summary>The keywords announced in the last <c>* FLAGS</c>, sorted.</summary>
    public IReadOnlyCollection<string> AnnouncedKeywords => _announcedKeywords;

    /// <summary>
    /// Adds the folder's keywords in use to the announced set; true when any is new, so the caller must send
    /// <c>* FLAGS</c> and <c>PERMANENTFLAGS</c> before a FETCH shows it.
    /// </summary>
    public bool AnnounceKnownKeywords()
    {
        bool added = false;
        foreach (string keyword in Folder.KnownKeywords)
        {
            added |= _announcedKeywords.Add(keyword);
        }

        return added;
    }

    /// <summary>Whether every keyword of <paramref name="record"/> has been announced.</summary>
    public bool KeywordsAnnounced(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (string keyword in record.Keywords)
        {
            if (!_announcedKeywords.Contains(keyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds keywords a message shows that the folder's list does not (yet) hold; true when any was new.</summary>
    public bool AnnounceKeywordsOf(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        bool added = AnnounceKnownKeywords();
        foreach (string keyword in record.Keywords)
        {
            added |= _announcedKeywords.Add(keyword);
        }

        return added;
    }

    /// <summary>Notes a MODSEQ a FETCH response shows, so the command can end with a lower HIGHESTMODSEQ when needed.</summary>
    public ulong NoteModSeqShown(ulong modSeq)
    {
        ModSeqShown = Math.Max(ModSeqShown, modSeq);
        return modSeq;
    }

    /// <summary>
    /// RFC 7162 §3.2: true when a FETCH showed a MODSEQ above <see cref="HighestModSeq"/> while an expunge waits, so
    /// the command must end with <c>* OK [HIGHESTMODSEQ n]</c> telling the client where it may resynchronize from.
    /// Resets what was shown.
    /// </summary>
    public bool TakeModSeqShown()
    {
        bool above = ExpungesPending && ModSeqShown > HighestModSeq;
        ModSeqShown = 0;
        return above;
    }

    public int RecentCount => _recent.Count;

    public bool IsRecent(uint uid) => _recent.Contains(uid);

    /// <summary>The UIDs of the last SEARCH RETURN (SAVE), which "$" stands for (RFC 5182 §2.1); empty until one.</summary>
    public HashSet<uint> SavedResult { get; set; } = [];

    /// <summary>The search and sort results kept with RETURN (UPDATE) (RFC 5267 §4.3); they end with this selection.</summary>
    public SearchUpdateContexts SearchContexts { get; } = new();

    /// <summary>The index (sequence number − 1) of a UID, or -1.</summary>
    public int IndexOfUid(uint uid)
    {
        int low = 0;
        int high = _messages.Count - 1;
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

    /// <summary>
    /// The indexes a sequence set names, ascending. A message sequence number beyond the mailbox is a BAD
    /// (RFC 9051 §9 seq-number); UIDs that do not exist are ignored (RFC 9051 §6.4.9).
    /// </summary>
    public IReadOnlyList<int> Resolve(SequenceSet set, bool uid)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.IsSavedResult)
        {
            // RFC 5182 §2.1: "$" names the saved messages still present, whatever the command's form.
            var saved = new List<int>(SavedResult.Count);
            for (int i = 0; i < _messages.Count; i++)
            {
                if (SavedResult.Contains(_messages[i].Uid))
                {
                    saved.Add(i);
                }
            }

            return saved;
        }

        if (uid)
        {
            IReadOnlyList<uint> uids = set.ToUids(Uids);
            var indexes = new List<int>(uids.Count);
            foreach (uint value in uids)
            {
                indexes.Add(IndexOfUid(value));
            }

            return indexes;
        }

        if (set.ContainsOutOfRange(_messages.Count))
        {
            throw new ImapParseException("Invalid message sequence number.");
        }

        IReadOnlyList<int> numbers = set.ToSequenceNumbers(_messages.Count);
        var result = new List<int>(numbers.Count);
        foreach (int number in numbers)
        {
            result.Add(number - 1);
        }

        return result;
    }

    /// <summary>Takes a record this session changed itself (STORE, implicit \Seen), so it is not reported back as news.</summary>
    public void Update(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        int index = IndexOfUid(record.Uid);
        if (index >= 0)
        {
            _messages[index] = record;
            SearchContexts.NoteChanged(record.Uid);
        }
    }

    /// <summary>
    /// Brings the session's view up to <paramref name="view"/> and reports what changed through <paramref name="updates"/>:
    /// expunged messages (only when <paramref name="allowExpunge"/>; otherwise they stay, so sequence numbers hold),
    /// new messages (EXISTS, RECENT), and flag changes made by others. When the session last reported the snapshot just
    /// before <paramref name="view"/>, the folder's shared <see cref="FolderView.Change"/> is applied (cost proportional
    /// to the change: 10,000 sessions woken by one delivery do not each walk the folder); otherwise the two are diffed.
    /// </summary>
    public void Sync(FolderView view, bool allowExpunge, IMailboxUpdates updates)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(updates);
        if (view.Version == Version && !HasPendingExpunges(view, allowExpunge))
        {
            return;
        }

        if (view.Change is { } change && change.FromVersion == Version && !ExpungesPending && view.UidValidity == UidValidity
            && (allowExpunge || change.Expunged.Count == 0))
        {
            ApplyChange(view, change, updates);
            return;
        }

        IReadOnlyList<MessageRecord> current = view.Messages;
        var kept = new List<MessageRecord>(Math.Max(_messages.Count, current.Count));
        var changed = new List<uint>();
        var expunged = new List<(int SequenceNumber, uint Uid)>();
        bool pending = false;
        int j = 0;
        foreach (MessageRecord known in _messages)
        {
            while (j < current.Count && current[j].Uid < known.Uid)
            {
                // A UID below one the client already knows that it never saw cannot be shown without renumbering.
                j++;
            }

            if (j < current.Count && current[j].Uid == known.Uid)
            {
                MessageRecord now = current[j++];
                if (IsChanged(known, now))
                {
                    changed.Add(now.Uid);
                    SearchContexts.NoteChanged(now.Uid);
                }

                kept.Add(now);
            }
            else if (allowExpunge)
            {
                // RFC 9051 §7.5.1: each EXPUNGE renumbers the messages after it, so the number is the kept count + 1.
                expunged.Add((kept.Count + 1, known.Uid));
                _recent.Remove(known.Uid);
            }
            else
            {
                kept.Add(known);
                pending = true;
            }
        }

        if (expunged.Count > 0)
        {
            updates.Expunged(expunged);
        }

        _messages.Clear();
        _messages.AddRange(kept);
        Finish(view, j, pending, changed, updates);
    }

    public void Dispose()
    {
        _viewer.Dispose();
        _lease.Dispose();
    }

    private static bool IsChanged(MessageRecord known, MessageRecord now) =>
        !ReferenceEquals(known, now) && (now.ModSeq != known.ModSeq || now.Flags != known.Flags || !now.Keywords.SequenceEqual(known.Keywords));

    /// <summary>
    /// <see cref="Sync"/> by the folder's shared change: the expunged UIDs are found in one pass (reported in the order
    /// and with the numbers the full diff gives), the modified ones by binary search, the arrivals are the view's tail.
    /// </summary>
    private void ApplyChange(FolderView view, FolderChange change, IMailboxUpdates updates)
    {
        IReadOnlyList<uint> gone = change.Expunged;
        if (gone.Count > 0)
        {
            var expunged = new List<(int SequenceNumber, uint Uid)>(gone.Count);
            int next = 0;
            for (int index = 0; index < _messages.Count && next < gone.Count; index++)
            {
                uint uid = _messages[index].Uid;
                while (next < gone.Count && gone[next] < uid)
                {
                    next++;
                }

                if (next < gone.Count && gone[next] == uid)
                {
                    // RFC 9051 §7.5.1: each EXPUNGE renumbers the messages after it.
                    expunged.Add((index + 1 - expunged.Count, uid));
                    _recent.Remove(uid);
                }
            }

            if (expunged.Count > 0)
            {
                updates.Expunged(expunged);
                var removed = new HashSet<uint>(expunged.Select(static e => e.Uid));
                _messages.RemoveAll(m => removed.Contains(m.Uid));
            }
        }

        var changed = new List<uint>();
        foreach (uint uid in change.Modified)
        {
            int index = IndexOfUid(uid);
            int at = view.IndexOfUid(uid);
            if (index < 0 || at < 0)
            {
                continue;
            }

            MessageRecord now = view.Messages[at];
            if (IsChanged(_messages[index], now))
            {
                changed.Add(uid);
                SearchContexts.NoteChanged(uid);
            }

            _messages[index] = now;
        }

        Finish(view, change.FirstNew, pending: false, changed, updates);
    }

    /// <summary>
    /// The end of a sync: the messages of <paramref name="view"/> from <paramref name="firstNew"/> on above the highest
    /// UID known arrive (EXISTS, RECENT), then keywords new to the folder are announced and the flag changes reported.
    /// </summary>
    private void Finish(FolderView view, int firstNew, bool pending, List<uint> changed, IMailboxUpdates updates)
    {
        IReadOnlyList<MessageRecord> current = view.Messages;
        int before = _messages.Count;
        uint highest = _messages.Count > 0 ? _messages[^1].Uid : 0;
        for (int j = firstNew; j < current.Count; j++)
        {
            if (current[j].Uid > highest)
            {
                _messages.Add(current[j]);
            }
        }

        bool arrived = _messages.Count > before;
        if (arrived)
        {
            uint recentFrom = ReadOnly ? Folder.RecentBoundary : Folder.ClaimRecent(view.UidNext);
            for (int i = before; i < _messages.Count; i++)
            {
                if (_messages[i].Uid >= recentFrom)
                {
                    _recent.Add(_messages[i].Uid);
                }

                SearchContexts.NoteChanged(_messages[i].Uid);
            }
        }

        UidNext = view.UidNext;
        _viewModSeq = view.HighestModSeq;
        ExpungesPending = pending;
        if (!pending)
        {
            _fullSyncModSeq = view.HighestModSeq;

            // Every message expunged up to this snapshot has been reported: the store may free what it held for us.
            _viewer.Shown(view.Version);
        }

        Version = view.Version;
        if (AnnounceKnownKeywords())
        {
            // RFC 9051 §7.3.5: keywords new to the folder are announced before any message shows them.
            updates.KeywordsAdded(this);
        }

        if (arrived)
        {
            updates.Exists(_messages.Count, _recent.Count);
        }

        foreach (uint uid in changed)
        {
            int index = IndexOfUid(uid);
            updates.FlagsChanged(index + 1, _messages[index]);
        }
    }

    private bool HasPendingExpunges(FolderView view, bool allowExpunge) => allowExpunge && view.Messages.Count != _messages.Count;

    /// <summary>The UIDs of the message list, as a list view without copying.</summary>
    private sealed class UidView(List<MessageRecord> messages) : IReadOnlyList<uint>
    {
        public uint this[int index] => messages[index].Uid;

        public int Count => messages.Count;

        public IEnumerator<uint> GetEnumerator()
        {
            foreach (MessageRecord message in messages)
            {
                yield return message.Uid;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

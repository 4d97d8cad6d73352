using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Imap.Protocol.Sorting;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// The SORT and THREAD keys of a folder's messages, shared by every session that has it open. A message's keys are
/// computed once from its header (the body is never read) and kept in the folder's index
/// (<see cref="CachedField.SortKeys"/>), so they survive restarts; the decoded keys stay in memory beside the folder,
/// so a SORT of 10,000 messages reads neither files nor the index.
/// </summary>
internal sealed class SortKeyCache
{
    private static readonly ConditionalWeakTable<MailFolder, SortKeyCache> Folders = [];

    private static readonly MessageSortKeys Unknown = new(MessageSortKeys.NoDate, string.Empty, false, string.Empty, string.Empty,
        string.Empty, string.Empty, string.Empty, string.Empty, []);

    private readonly MailFolder _folder;
    private readonly ConcurrentDictionary<uint, MessageSortKeys> _keys = new();
    private uint _uidValidity;

    private SortKeyCache(MailFolder folder)
    {
        _folder = folder;
    }

    /// <summary>
    /// The integer ranks of the string sort keys of the cached messages (<see cref="SortRanks"/>), so a warm SORT
    /// compares integers. They start again with the keys (a new UIDVALIDITY, or the cache outgrowing the folder), which
    /// bounds them by the folder's size.
    /// </summary>
    public SortRanks Ranks { get; } = new();

    /// <summary>The numbers of the cached messages' Message-ID and References ids (<see cref="ThreadIdTable"/>), cleared with the keys.</summary>
    public ThreadIdTable ThreadIds { get; } = new();

    /// <summary>
    /// The cache of <paramref name="folder"/>. A new UIDVALIDITY (the folder was recreated or its UIDs reset) starts it
    /// empty: its UIDs may now name other messages (the index drops its rows for the same reason).
    /// </summary>
    public static SortKeyCache For(MailFolder folder)
    {
        SortKeyCache cache = Folders.GetValue(folder, static f => new SortKeyCache(f));
        uint uidValidity = folder.Current.UidValidity;
        if (cache._uidValidity != uidValidity)
        {
            cache._keys.Clear();
            cache.Ranks.Clear();
            cache.ThreadIds.Clear();
            cache._uidValidity = uidValidity;
        }

        return cache;
    }

    /// <summary>
    /// The keys of <paramref name="record"/>. A message that vanished meanwhile (expunged by another session) or whose
    /// header cannot be read sorts as one without any header (its sent date is then its internal date); the latter's
    /// failure is given in <paramref name="unreadable"/> for the caller to log (no callback allocated per message).
    /// </summary>
    public MessageSortKeys Get(MessageRecord record, MessageLimits limits, int maxReferences, out Exception? unreadable)
    {
        ArgumentNullException.ThrowIfNull(record);
        unreadable = null;
        if (_keys.TryGetValue(record.Uid, out MessageSortKeys? known))
        {
            return known;
        }

        MessageSortKeys? keys = _folder.GetCached(record.Uid, CachedField.SortKeys) is { } cached ? MessageSortKeys.Deserialize(cached) : null;
        if (keys is null)
        {
            try
            {
                using Stream content = _folder.OpenContent(record.Uid);
                keys = SortKeyExtractor.Extract(MimeStructureParser.ParseHeader(content, limits), maxReferences);
            }
            catch (MessageGoneException)
            {
                return Unknown;
            }
            catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
            {
                unreadable = ex;
                return Unknown;
            }

            _folder.SetCached(record.Uid, CachedField.SortKeys, keys.Serialize());
        }

        if (_keys.Count > (2 * _folder.Current.Messages.Count) + 64)
        {
            // Keys of messages expunged since are of no use: start again rather than grow without bound.
            _keys.Clear();
            Ranks.Clear();
            ThreadIds.Clear();
        }

        _keys[record.Uid] = keys;
        return keys;
    }
}

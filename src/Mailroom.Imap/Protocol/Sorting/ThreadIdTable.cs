namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// A folder's Message-ID and References ids as small integers, so THREAD=REFERENCES links messages through arrays
/// instead of hashing every id string into a table on every command (Dovecot keeps such numbers in its thread index).
/// Each message's numbers are worked out once and kept by the identity of its cached keys; the table is kept beside
/// the folder's sort keys and cleared with them, which bounds it by the folder's size (each message brings at most one
/// id and its bounded References). Thread-safe: sessions may thread the same folder at once.
/// </summary>
internal sealed class ThreadIdTable
{
    private static readonly int[] NoReferences = [];

    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<object, ThreadLinks> _links = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    /// <summary>How many distinct ids are numbered.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _numbers.Count;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="links"/> with the numbers of each message's id and references, and returns how many
    /// distinct ids there are: every number given is below it. One numbering serves the whole call, even when another
    /// session clears the table meanwhile.
    /// </summary>
    public int Number(IReadOnlyList<SortableMessage> messages, Span<ThreadLinks> links)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_lock)
        {
            for (int i = 0; i < messages.Count; i++)
            {
                MessageSortKeys keys = messages[i].Keys;
                if (!_links.TryGetValue(keys, out ThreadLinks? known))
                {
                    known = NumberOf(keys);
                    _links[keys] = known;
                }

                links[i] = known;
            }

            return _numbers.Count;
        }
    }

    /// <summary>Forgets every number (the folder's key cache started again).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _numbers.Clear();
            _links.Clear();
        }
    }

    private ThreadLinks NumberOf(MessageSortKeys keys)
    {
        int id = keys.MessageId.Length == 0 ? ThreadLinks.NoId : NumberOf(keys.MessageId);
        IReadOnlyList<string> references = keys.References;
        int[] numbers = references.Count == 0 ? NoReferences : new int[references.Count];
        for (int i = 0; i < numbers.Length; i++)
        {
            numbers[i] = NumberOf(references[i]);
        }

        return new ThreadLinks(id, numbers);
    }

    private int NumberOf(string id)
    {
        if (!_numbers.TryGetValue(id, out int number))
        {
            number = _numbers.Count;
            _numbers[id] = number;
        }

        return number;
    }
}

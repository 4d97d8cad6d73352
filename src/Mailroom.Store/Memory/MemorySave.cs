using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Memory;

/// <summary>A save transaction in memory: messages and copies are kept aside until the commit publishes them together.</summary>
internal sealed class MemorySave : SaveTransaction
{
    private readonly MemoryMailboxStore _store;
    private readonly MemoryFolder _folder;
    private readonly bool _delivery;
    private readonly List<(MessageRecord Record, byte[] Content, string EmailId, byte[]?[]? Cached)> _staged = [];
    private MemoryMessageWriter? _writing;

    public MemorySave(MemoryMailboxStore store, MemoryFolder folder, bool delivery)
    {
        _store = store;
        _folder = folder;
        _delivery = delivery;
    }

    public override MessageWriter BeginMessage(MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        if (Committed)
        {
            throw new InvalidOperationException("The transaction is already committed.");
        }

        if (_writing is not null)
        {
            throw new InvalidOperationException("A message is still being written.");
        }

        if (_delivery && keywords.Count > 0)
        {
            throw new ArgumentException("A delivery carries no keywords; save into the folder to set them.", nameof(keywords));
        }

        _writing = new MemoryMessageWriter(this, flags, MailFolder.NormalizeKeywords(keywords), internalDate ?? _store.Time.GetUtcNow());
        return _writing;
    }

    public override IReadOnlyList<uint> AddCopies(MailFolder source, IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(uids);
        if (source is not MemoryFolder from || !string.Equals(from.User, _folder.User, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("COPY and MOVE work between folders of one user of one store.", nameof(source));
        }

        if (Committed)
        {
            throw new InvalidOperationException("The transaction is already committed.");
        }

        var copied = new List<uint>();
        foreach (uint uid in uids.Distinct().Order())
        {
            if (from.Source(uid) is { } message)
            {
                // The bytes never change, so the copy shares them (the Maildir store's hard link); RFC 8474 §5.1: and
                // its EMAILID.
                _staged.Add((message.Record with { Uid = 0, BaseName = _store.NextName(), ModSeq = 0 }, message.Content, from.GetEmailId(message.Record), message.Cached));
                copied.Add(uid);
            }
        }

        return copied;
    }

    internal void Completed(MemoryMessageWriter writer, byte[] content)
    {
        _staged.Add((new MessageRecord(0, _store.NextName(), content.Length, writer.InternalDate, writer.Flags, writer.Keywords, 0)
        {
            WireSize = writer.WireSize,
        }, content, ObjectIds.New('M'), MessageIndexing.TryDescribe(_store.Indexer, () => new MemoryStream(content, writable: false), headerOnly: false, _store.Logger, "a message")));
        _writing = null;
    }

    protected override ValueTask<SaveResult> CommitCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_writing is not null)
        {
            throw new InvalidOperationException("A message is still being written.");
        }

        (uint uidValidity, uint[] uids) = _folder.Commit(_staged);

        // As a Maildir delivery: the UIDs of delivered mail are the INBOX reader's business.
        return ValueTask.FromResult(_delivery ? new SaveResult(0, []) : new SaveResult(uidValidity, uids));
    }

    protected override void Abort()
    {
        _writing = null;
        _staged.Clear();
    }
}

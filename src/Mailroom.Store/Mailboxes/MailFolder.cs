using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// One folder of one user, one instance per process shared by every session that opened it
/// (<see cref="IMailboxStore.OpenFolder"/>). All changes end in a new immutable <see cref="FolderView"/> followed by
/// <see cref="Changed"/>. What every backend shares lives here: the change event, the keywords in use, sizes as
/// POP3 and IMAP send them, and COPY and MOVE built on <see cref="BeginSave"/>.
/// </summary>
public abstract partial class MailFolder
{
    private const int ReadChunk = 64 * 1024;

    private readonly ILogger _logger;

    // Wire sizes counted from the content of messages whose store did not know them (a file another program wrote).
    private readonly ConcurrentDictionary<uint, long> _wireSizes = new();
    private (long Version, IReadOnlyList<string> Keywords) _knownKeywords = (-1, []);

    private protected MailFolder(ILogger logger, int expungedUidMemory, HeldContentBudget heldBudget)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Expunges = new ExpungeLog(expungedUidMemory);
        Held = new ExpungedContentHold(heldBudget);
    }

    /// <summary>The folder's memory of expunged UIDs; the backend adds to it with every removal, under its own lock.</summary>
    private protected ExpungeLog Expunges { get; }

    /// <summary>
    /// The content of removed messages that viewers may still show (RFC 2180 §4.1.1); the backend offers it each message
    /// it removes and reads it in <see cref="OpenContent"/> for messages no longer in the folder.
    /// </summary>
    private protected ExpungedContentHold Held { get; }

    /// <summary>How many removed messages the folder keeps readable now for sessions that still show them.</summary>
    public int HeldExpungedCount => Held.Count;

    /// <summary>Raised on any thread after the snapshot changed, whoever changed it.</summary>
    public event Action? Changed;

    /// <summary>The owner, <c>user@domain</c> as given when the folder was opened.</summary>
    public abstract string User { get; }

    /// <summary>The canonical name (<c>INBOX</c> upper-case; levels separated by <c>/</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Its RFC 6154 special use.</summary>
    public abstract SpecialUse SpecialUse { get; }

    /// <summary>The latest snapshot; no I/O.</summary>
    public abstract FolderView Current { get; }

    /// <summary>
    /// The lowest UID that the next read-write SELECT would claim as \Recent (RFC 3501 §2.3.2): messages at or above it
    /// arrived since the last claim. Reading it claims nothing (STATUS RECENT, RFC 3501 §6.3.10).
    /// </summary>
    public abstract uint RecentBoundary { get; }

    /// <summary>Every keyword in use in the folder (FLAGS and PERMANENTFLAGS, RFC 9051 §7.3.5).</summary>
    public IReadOnlyList<string> KnownKeywords
    {
        get
        {
            FolderView view = Current;
            (long version, IReadOnlyList<string> keywords) = _knownKeywords;
            if (version == view.Version)
            {
                return keywords;
            }

            var set = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (MessageRecord record in view.MessageArray)
            {
                set.UnionWith(record.Keywords);
            }

            string[] list = [.. set];
            _knownKeywords = (view.Version, list);
            return list;
        }
    }

    /// <summary>
    /// RFC 7162 §3.2.5.1, §3.2.6: the UIDs that left the folder (EXPUNGE, MOVE, POP3, removal by another program) at a
    /// mod-sequence above <paramref name="modSeq"/>, as far as the folder remembers (<see cref="ExpungedSince.Complete"/>).
    /// </summary>
    public ExpungedSince GetExpungedSince(ulong modSeq) => Expunges.Since(modSeq);

    /// <summary>
    /// Registers a session that numbers the folder's messages (an IMAP selection) before it takes its first snapshot:
    /// until it reports, through <see cref="FolderViewer.Shown"/>, that it shows no message removed by then, or is
    /// disposed, messages removed meanwhile stay readable through <see cref="OpenContent"/> (RFC 2180 §4.1.1).
    /// </summary>
    public FolderViewer AddViewer() => Held.Add(Current.Version);

    /// <summary>Picks up changes made by others (local delivery, POP3, other programs) and returns the new snapshot.</summary>
    public abstract FolderView Refresh();

    /// <summary>
    /// <see cref="Refresh"/> for a reader that changes nothing (EXAMINE): new mail is not taken as seen. A store without
    /// that distinction refreshes as usual.
    /// </summary>
    public virtual FolderView RefreshReadOnly() => Refresh();

    /// <summary>
    /// The message's content, read-only, positioned at its start; also of a message removed while a
    /// <see cref="FolderViewer"/> may still show it (see <see cref="AddViewer"/>).
    /// </summary>
    /// <exception cref="MessageGoneException">The message no longer exists and is not held.</exception>
    public abstract Stream OpenContent(uint uid);

    /// <summary>
    /// The size of <paramref name="record"/> as POP3 sends it and IMAP counts it (RFC 1939 §11: CRLF line ends):
    /// known to the store for the messages it saved; counted from the content once otherwise (a file with bare LFs
    /// written by another program) and remembered.
    /// </summary>
    /// <exception cref="MessageGoneException">The message no longer exists.</exception>
    public long GetWireSize(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.WireSize >= 0)
        {
            return record.WireSize;
        }

        if (_wireSizes.TryGetValue(record.Uid, out long known))
        {
            return known;
        }

        long size = CountWireSize(record.Uid);
        if (_wireSizes.Count > (2 * Current.Messages.Count) + 64)
        {
            // Entries of messages expunged since are of no use: start again rather than grow without bound.
            _wireSizes.Clear();
        }

        _wireSizes[record.Uid] = size;
        return size;
    }

    /// <summary>
    /// Protocol data the IMAP layer cached for a message (ENVELOPE, BODYSTRUCTURE), or null. A folder's cache is read
    /// in one go on first use, so a FETCH of every ENVELOPE touches no message content.
    /// </summary>
    public abstract byte[]? GetCached(uint uid, CachedField field);

    /// <summary>Keeps protocol data computed for a message (ignored when the message is gone).</summary>
    public abstract void SetCached(uint uid, CachedField field, byte[] value);

    /// <summary>
    /// RFC 3501 §2.3.2 \Recent: the first session that selects the folder read-write claims the messages that arrived
    /// since the last claim, up to <paramref name="upTo"/>, the UIDNEXT of the view the caller shows. Returns the lowest
    /// UID that is \Recent for the caller: its messages in [returned, <paramref name="upTo"/>) are its own. Messages
    /// that arrive after the caller's view stay unclaimed, so two sessions never both show one message as \Recent.
    /// </summary>
    public abstract uint ClaimRecent(uint upTo);

    /// <summary>
    /// Changes flags and keywords (STORE). RFC 7162 §3.1.3: with <paramref name="unchangedSince"/>, messages whose
    /// mod-sequence is greater are left alone and reported in <see cref="FlagUpdateResult.Modified"/>. Messages that
    /// vanished meanwhile are skipped.
    /// </summary>
    public abstract FlagUpdateResult UpdateFlags(IReadOnlyList<uint> uids, FlagUpdateMode mode, MessageFlags flags,
        IReadOnlyList<string> keywords, ulong? unchangedSince);

    /// <summary>
    /// EXPUNGE: removes the messages flagged \Deleted (only among <paramref name="uids"/> when given), durably before
    /// returning. Returns their UIDs ascending.
    /// </summary>
    public abstract IReadOnlyList<uint> Expunge(IReadOnlyList<uint>? uids);

    /// <summary>
    /// Removes <paramref name="uids"/> whatever their flags (POP3's UPDATE state, the second half of MOVE), durably
    /// before returning. Returns the UIDs removed, ascending; a UID no longer in the folder is not among them.
    /// </summary>
    /// <exception cref="IOException">The removal could not be made durable.</exception>
    public abstract IReadOnlyList<uint> Remove(IReadOnlyList<uint> uids);

    /// <summary>Starts saving messages into this folder (APPEND, COPY, MOVE, Sieve's fileinto).</summary>
    public abstract SaveTransaction BeginSave();

    /// <summary>
    /// COPY (RFC 9051 §6.4.7) to a folder of the same user, flags and keywords kept: one transaction, so the copies
    /// appear together with consecutive UIDs. Messages that vanished meanwhile are skipped. Returns the UIDPLUS data
    /// (RFC 4315 COPYUID).
    /// </summary>
    /// <exception cref="ArgumentException">The target belongs to another user.</exception>
    public async ValueTask<CopyResult> CopyToAsync(MailFolder target, IReadOnlyList<uint> uids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(uids);
        using SaveTransaction save = target.BeginSave();
        IReadOnlyList<uint> copied = save.AddCopies(this, uids);
        SaveResult saved = await save.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CopyResult(saved.UidValidity, copied, saved.Uids);
    }

    /// <summary>MOVE (RFC 6851): COPY, then the copied messages leave this folder whatever their flags.</summary>
    public async ValueTask<CopyResult> MoveToAsync(MailFolder target, IReadOnlyList<uint> uids, CancellationToken cancellationToken)
    {
        CopyResult copied = await CopyToAsync(target, uids, cancellationToken).ConfigureAwait(false);
        Remove(copied.SourceUids);
        return copied;
    }

    /// <summary>Tells the sessions holding the folder that its snapshot changed; one failing handler does not stop the others.</summary>
    protected void RaiseChanged()
    {
        Action? handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (Action handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                StoreLog.ChangedHandlerFailed(_logger, User, Name, ex);
            }
        }
    }

    /// <summary>
    /// The last lease is gone: drop the handlers of the sessions that held it (a folder kept loaded must neither keep
    /// those sessions alive nor call them).
    /// </summary>
    protected internal void DetachHandlers() => Changed = null;

    /// <summary>Keywords sorted ordinal-ignore-case without duplicates (the <see cref="MessageRecord.Keywords"/> rule).</summary>
    /// <summary>
    /// What STORE (RFC 9051 §6.4.6) makes of a message's flags and keywords in <paramref name="mode"/>; null when
    /// nothing changes, so no modseq is spent. <paramref name="requested"/> is already normalized.
    /// </summary>
    protected static (MessageFlags Flags, string[] Keywords)? UpdatedFlags(MessageRecord record, FlagUpdateMode mode, MessageFlags flags, string[] requested)
    {
        ArgumentNullException.ThrowIfNull(record);
        (MessageFlags newFlags, string[] newKeywords) = mode switch
        {
            FlagUpdateMode.Add => (record.Flags | flags, NormalizeKeywords([.. record.Keywords, .. requested])),
            FlagUpdateMode.Remove => (record.Flags & ~flags, [.. record.Keywords.Where(k => !requested.Contains(k, StringComparer.OrdinalIgnoreCase))]),
            _ => (flags, requested),
        };
        return newFlags == record.Flags && newKeywords.SequenceEqual(record.Keywords, StringComparer.Ordinal) ? null : (newFlags, newKeywords);
    }

    protected internal static string[] NormalizeKeywords(IEnumerable<string> keywords) =>
        [.. keywords.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];

    private long CountWireSize(uint uid)
    {
        using Stream content = OpenContent(uid);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
        try
        {
            var counter = new WireSizeCounter();
            int read;
            while ((read = content.Read(buffer, 0, ReadChunk)) > 0)
            {
                counter.Add(buffer.AsSpan(0, read));
            }

            return counter.Total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Globalization;
using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>The selected mailbox, the enabled extensions and the untagged updates of RFC 9051 §7.5.1.</summary>
internal sealed partial class ImapSession : IMailboxUpdates
{
    /// <summary>The selected mailbox, in the selected state.</summary>
    public SelectedMailbox? Selected { get; private set; }

    /// <summary>RFC 7162 §3.1: CONDSTORE enabled (ENABLE, SELECT (CONDSTORE), or a command using modseqs).</summary>
    public bool CondStoreEnabled { get; set; }

    /// <summary>
    /// RFC 7162 §3.2.3: ENABLE QRESYNC (which enables CONDSTORE too): SELECT/EXAMINE take the QRESYNC parameter,
    /// UID FETCH the VANISHED modifier, and expunges are reported as VANISHED instead of EXPUNGE.
    /// </summary>
    public bool QResyncEnabled { get; set; }

    /// <summary>RFC 9051 §6.3.1: ENABLE IMAP4rev2 (no \Recent and RECENT, UTF-8 mailbox names, ESEARCH for SEARCH).</summary>
    public bool Rev2Enabled { get; set; }

    /// <summary>Mailbox names travel as UTF-8 rather than modified UTF-7 (RFC 9051 §5.1, RFC 6855 §3).</summary>
    public bool Utf8Names => Rev2Enabled || Utf8Accepted;

    private const string SystemFlagNames = @"\Answered \Flagged \Deleted \Seen \Draft";

    /// <summary>
    /// RFC 7162 §3.1: a CONDSTORE-enabling command (FETCH MODSEQ, SEARCH MODSEQ, STORE UNCHANGEDSINCE…) turns CONDSTORE
    /// on; when that happens with a mailbox selected, the client learns its HIGHESTMODSEQ at once.
    /// </summary>
    public void EnableCondStore()
    {
        if (CondStoreEnabled)
        {
            return;
        }

        CondStoreEnabled = true;
        if (Selected is { } selected)
        {
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"* OK [HIGHESTMODSEQ {selected.HighestModSeq}] Highest"));
        }
    }

    /// <summary>Selects a mailbox (SELECT, EXAMINE): any previous one is closed without expunging.</summary>
    public void Select(SelectedMailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        CloseMailbox();
        Selected = mailbox;
        State = ImapState.Selected;
        mailbox.Folder.Changed += OnFolderChanged;
        OnSelectedForNotify(mailbox);
    }

    /// <summary>Leaves the selected state (CLOSE, UNSELECT, a failed SELECT, the end of the session).</summary>
    public void CloseMailbox()
    {
        SelectedMailbox? selected = Selected;
        if (selected is null)
        {
            return;
        }

        selected.Folder.Changed -= OnFolderChanged;
        OnDeselectedForNotify(selected);
        Selected = null;
        selected.Dispose();
        if (State == ImapState.Selected)
        {
            State = ImapState.Authenticated;
        }
    }

    /// <summary>
    /// Picks up changes made outside this process, then reports what changed since the last report. Without
    /// <paramref name="refresh"/> (a session woken by the folder's <see cref="MailFolder.Changed"/>, which fires after
    /// the change is published) the folder's current snapshot is taken as it is: the change was found once, by
    /// whoever made or noticed it, and 10,000 woken sessions do not each look at the directories again.
    /// </summary>
    public void SendUpdates(bool allowExpunge, bool refresh = true)
    {
        SelectedMailbox? selected = Selected;
        if (selected is null)
        {
            return;
        }

        FolderView view = !refresh ? selected.Folder.Current
            : selected.ReadOnly ? selected.Folder.RefreshReadOnly() : selected.Folder.Refresh();
        selected.Sync(view, allowExpunge, this);

        // RFC 5267 §4.3: kept search contexts learn of the changes after EXISTS, EXPUNGE and FETCH told the client.
        selected.SearchContexts.Report(this);
    }

    /// <summary>The flag list of a message as this session shows it (with \Recent for IMAP4rev1 clients).</summary>
    public void WriteFlags(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ImapWire.WriteFlags(Writer, record.Flags, record.Keywords, !Rev2Enabled && Selected is { } selected && selected.IsRecent(record.Uid));
    }

    /// <summary>
    /// RFC 9051 §7.3.5 / RFC 3501 §7.2.6: before a FETCH shows a keyword the client has not been told of (one set by
    /// another session, or by this one in a STORE), send <c>* FLAGS</c> and <c>* OK [PERMANENTFLAGS ...]</c> naming it.
    /// Call before the <c>* n FETCH</c> line starts.
    /// </summary>
    public void AnnounceKeywordsOf(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Selected is { } selected && !selected.KeywordsAnnounced(record) && selected.AnnounceKeywordsOf(record))
        {
            WriteFlagsAnnouncement(selected);
        }
    }

    /// <summary>The <c>* FLAGS</c> and <c>PERMANENTFLAGS</c> responses of SELECT, with the keywords announced so far.</summary>
    public void WriteFlagsAnnouncement(SelectedMailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        string keywords = string.Concat(mailbox.AnnouncedKeywords.Select(static k => " " + k));
        WriteLine("* FLAGS (" + SystemFlagNames + keywords + ")");
        WriteLine(mailbox.ReadOnly
            ? "* OK [PERMANENTFLAGS ()] Read-only mailbox."
            : "* OK [PERMANENTFLAGS (" + SystemFlagNames + keywords + @" \*)] Flags permitted.");
    }

    void IMailboxUpdates.KeywordsAdded(SelectedMailbox mailbox) => WriteFlagsAnnouncement(mailbox);

    void IMailboxUpdates.Expunged(IReadOnlyList<(int SequenceNumber, uint Uid)> expunged)
    {
        Selected?.SearchContexts.WriteRemovalsBeforeExpunge(this, expunged);
        if (QResyncEnabled)
        {
            // RFC 7162 §3.2.10: once QRESYNC is enabled, VANISHED replaces EXPUNGE; the UIDs ascend in the diff.
            WriteLine("* VANISHED " + SequenceSet.Format(expunged.Select(static e => e.Uid)));
            return;
        }

        foreach ((int sequenceNumber, _) in expunged)
        {
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} EXPUNGE"));
        }
    }

    void IMailboxUpdates.Exists(int count, int recent)
    {
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {count} EXISTS"));
        if (!Rev2Enabled)
        {
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {recent} RECENT"));
        }
    }

    void IMailboxUpdates.FlagsChanged(int sequenceNumber, MessageRecord record)
    {
        // RFC 5465 §5.3: a NOTIFY for the selected mailbox without FlagChange asks not to hear of others' flag changes.
        if (_notifier?.SelectedFlagChangesUnwanted != true)
        {
            WriteFlagsFetch(sequenceNumber, record, includeUid: true);
        }
    }

    /// <summary><c>* n FETCH (UID u FLAGS (...) MODSEQ (m))</c>: UID when asked, MODSEQ once CONDSTORE is on (RFC 7162 §3.2.4).</summary>
    public void WriteFlagsFetch(int sequenceNumber, MessageRecord record, bool includeUid)
    {
        ArgumentNullException.ThrowIfNull(record);
        AnnounceKeywordsOf(record);
        Write(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} FETCH ("));
        if (includeUid)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"UID {record.Uid} "));
        }

        Write("FLAGS "u8);
        WriteFlags(record);
        if (CondStoreEnabled)
        {
            Write(" "u8);
            WriteModSeqItem(record);
        }

        Write(")\r\n"u8);
    }

    /// <summary>
    /// <c>MODSEQ (m)</c> of a FETCH response, noted as shown: while an expunge waits to be reported, a command that showed
    /// a mod-sequence above the session's HIGHESTMODSEQ ends with the lower value (RFC 7162 §3.2, see <see cref="Complete"/>).
    /// </summary>
    public void WriteModSeqItem(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ulong modSeq = Selected?.NoteModSeqShown(record.ModSeq) ?? record.ModSeq;
        Write(string.Create(CultureInfo.InvariantCulture, $"MODSEQ ({modSeq})"));
    }

    /// <summary>
    /// RFC 7162 §3.2 (RFC 5162 erratum 1810): when this command's FETCH responses showed mod-sequences above that of an
    /// expunge the session could not report yet, <c>* OK [HIGHESTMODSEQ n]</c> with a value below that expunge tells the
    /// client where to resynchronize from if the connection is lost before the EXPUNGE or VANISHED arrives.
    /// </summary>
    private void WriteLowerHighestModSeqIfNeeded(SelectedMailbox selected)
    {
        if (selected.TakeModSeqShown() && CondStoreEnabled)
        {
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"* OK [HIGHESTMODSEQ {selected.HighestModSeq}] Highest"));
        }
    }

    private void OnFolderChanged() => WakeIdle();
}

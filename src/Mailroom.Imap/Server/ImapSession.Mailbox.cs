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

    /// <summary>RFC 9051 §6.3.1: ENABLE IMAP4rev2 (no \Recent and RECENT, UTF-8 mailbox names, ESEARCH for SEARCH).</summary>
    public bool Rev2Enabled { get; set; }

    /// <summary>Mailbox names travel as UTF-8 rather than modified UTF-7 (RFC 9051 §5.1).</summary>
    public bool Utf8Names => Rev2Enabled;

    /// <summary>Selects a mailbox (SELECT, EXAMINE): any previous one is closed without expunging.</summary>
    public void Select(SelectedMailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        CloseMailbox();
        Selected = mailbox;
        State = ImapState.Selected;
        mailbox.Folder.Changed += OnFolderChanged;
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
        Selected = null;
        selected.Dispose();
        if (State == ImapState.Selected)
        {
            State = ImapState.Authenticated;
        }
    }

    /// <summary>Picks up changes made outside this process, then reports what changed since the last report.</summary>
    public void SendUpdates(bool allowExpunge)
    {
        SelectedMailbox? selected = Selected;
        if (selected is null)
        {
            return;
        }

        FolderView view = selected.Folder.Refresh();
        selected.Sync(view, allowExpunge, this);
    }

    /// <summary>The flag list of a message as this session shows it (with \Recent for IMAP4rev1 clients).</summary>
    public void WriteFlags(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ImapWire.WriteFlags(Writer, record.Flags, record.Keywords, !Rev2Enabled && Selected is { } selected && selected.IsRecent(record.Uid));
    }

    void IMailboxUpdates.Expunged(int sequenceNumber) =>
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} EXPUNGE"));

    void IMailboxUpdates.Exists(int count, int recent)
    {
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {count} EXISTS"));
        if (!Rev2Enabled)
        {
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"* {recent} RECENT"));
        }
    }

    void IMailboxUpdates.FlagsChanged(int sequenceNumber, MessageRecord record) => WriteFlagsFetch(sequenceNumber, record, includeUid: true);

    /// <summary><c>* n FETCH (UID u FLAGS (...) MODSEQ (m))</c>: UID when asked, MODSEQ once CONDSTORE is on (RFC 7162 §3.2.4).</summary>
    public void WriteFlagsFetch(int sequenceNumber, MessageRecord record, bool includeUid)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} FETCH ("));
        if (includeUid)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"UID {record.Uid} "));
        }

        Write("FLAGS "u8);
        WriteFlags(record);
        if (CondStoreEnabled)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $" MODSEQ ({record.ModSeq})"));
        }

        Write(")\r\n"u8);
    }

    private void OnFolderChanged() => Volatile.Read(ref _idleWake)?.TrySetResult();
}

using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>Receives the untagged updates <see cref="SelectedMailbox.Sync"/> finds (the session writes them).</summary>
internal interface IMailboxUpdates
{
    /// <summary>
    /// Messages gone, in the order reported, each with the sequence number it had when reported (earlier ones already
    /// removed): <c>* n EXPUNGE</c> each, or one <c>* VANISHED uids</c> once QRESYNC is enabled (RFC 7162 §3.2.10).
    /// </summary>
    void Expunged(IReadOnlyList<(int SequenceNumber, uint Uid)> expunged);

    /// <summary><c>* FLAGS (...)</c> and <c>* OK [PERMANENTFLAGS (...)]</c> with keywords new to the client.</summary>
    void KeywordsAdded(SelectedMailbox mailbox);

    /// <summary><c>* n EXISTS</c> (and <c>* n RECENT</c> for IMAP4rev1 clients).</summary>
    void Exists(int count, int recent);

    /// <summary><c>* n FETCH (UID u FLAGS (...) [MODSEQ (m)])</c>.</summary>
    void FlagsChanged(int sequenceNumber, MessageRecord record);
}

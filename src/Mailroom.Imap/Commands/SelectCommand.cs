using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1 for the IMAP4rev1 responses), with the CONDSTORE
/// select parameter (RFC 7162 §3.1.8) and QRESYNC's (§3.2.5). The responses are Dovecot's, which clients and admins know.
/// </summary>
internal sealed class SelectCommand(bool readOnly) : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        QResyncParameter? qresync = null;
        if (reader.TryReadSpace())
        {
            qresync = ReadParameters(session, reader);
        }

        reader.ReadEnd();
        bool hadMailbox = session.Selected is not null;
        session.CloseMailbox();
        if (hadMailbox)
        {
            // RFC 7162 §3.2.11 / RFC 9051 §7.1: the previous mailbox's updates end here.
            session.WriteLine("* OK [CLOSED] Previous mailbox closed.");
        }

        // EXAMINE changes nothing (RFC 3501 §6.3.2): delivered mail is numbered but not taken as seen.
        FolderLease? lease = readOnly
            ? session.Context.Mailboxes.ExamineFolder(session.User!, name)
            : session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            session.No(request, "[NONEXISTENT] Mailbox doesn't exist: " + name);
            return SessionAction.Continue;
        }

        SelectedMailbox mailbox;
        try
        {
            mailbox = new SelectedMailbox(lease, readOnly);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        session.Select(mailbox);
        WriteResponses(session, mailbox);
        if (qresync is not null)
        {
            await WriteResynchronizationAsync(session, mailbox, qresync, cancellationToken).ConfigureAwait(false);
        }

        session.Ok(request, readOnly ? "[READ-ONLY] Examine completed." : "[READ-WRITE] Select completed.");
        return SessionAction.Continue;
    }

    private static void WriteResponses(ImapSession session, SelectedMailbox mailbox)
    {
        mailbox.AnnounceKnownKeywords();
        session.WriteFlagsAnnouncement(mailbox);
        session.WriteLine(FormattableString.Invariant($"* {mailbox.Count} EXISTS"));
        if (!session.Rev2Enabled)
        {
            session.WriteLine(FormattableString.Invariant($"* {mailbox.RecentCount} RECENT"));
            int firstUnseen = FirstUnseen(mailbox);
            if (firstUnseen > 0)
            {
                session.WriteLine(FormattableString.Invariant($"* OK [UNSEEN {firstUnseen}] First unseen."));
            }
        }

        session.WriteLine(FormattableString.Invariant($"* OK [UIDVALIDITY {mailbox.UidValidity}] UIDs valid"));
        session.WriteLine(FormattableString.Invariant($"* OK [UIDNEXT {mailbox.UidNext}] Predicted next UID"));
        if (session.Context.Mailboxes.GetMailboxId(session.User!, mailbox.Folder.Name) is { } mailboxId)
        {
            // RFC 8474 §4.2: SELECT and EXAMINE name the mailbox's MAILBOXID.
            session.WriteLine("* OK [MAILBOXID (" + mailboxId + ")] Ok");
        }
        if (session.CondStoreEnabled)
        {
            session.WriteLine(FormattableString.Invariant($"* OK [HIGHESTMODSEQ {mailbox.HighestModSeq}] Highest"));
        }
    }

    /// <summary>
    /// select-params (RFC 7162 §7): "(" CONDSTORE and/or QRESYNC (…) ")". CONDSTORE enables CONDSTORE (§3.1.8); QRESYNC
    /// needs ENABLE QRESYNC first, or the command is a BAD (§3.2.5).
    /// </summary>
    private static QResyncParameter? ReadParameters(ImapSession session, ImapArgumentReader reader)
    {
        QResyncParameter? qresync = null;
        reader.ReadChar('(');
        while (true)
        {
            string parameter = reader.ReadAtom().ToUpperInvariant();
            if (parameter == "CONDSTORE")
            {
                session.CondStoreEnabled = true;
            }
            else if (parameter == "QRESYNC" && qresync is null)
            {
                if (!session.QResyncEnabled)
                {
                    throw new ImapParseException("QRESYNC must be enabled first.");
                }

                qresync = QResyncParameter.Parse(ref reader);
            }
            else
            {
                throw new ImapParseException("Unknown select parameter " + parameter + ".");
            }

            if (reader.PeekChar(')'))
            {
                reader.ReadChar(')');
                return qresync;
            }

            reader.ReadSpace();
        }
    }

    /// <summary>
    /// RFC 7162 §3.2.5.2: when the client's UIDVALIDITY still holds, what changed since its mod-sequence among the UIDs
    /// it knows: <c>* VANISHED (EARLIER) uids</c> for those expunged, then <c>* n FETCH (UID FLAGS MODSEQ)</c> for those
    /// whose flags changed, streamed. Another UIDVALIDITY means the client's cache is void: nothing more is sent.
    /// </summary>
    private static async ValueTask WriteResynchronizationAsync(ImapSession session, SelectedMailbox mailbox, QResyncParameter qresync,
        CancellationToken cancellationToken)
    {
        if (qresync.UidValidity != mailbox.UidValidity)
        {
            return;
        }

        uint unchangedThrough = qresync is { KnownSequenceNumbers: { } numbers, KnownSequenceUids: { } uids }
            ? VanishedUids.MatchedThrough(mailbox, numbers, uids)
            : 0;
        string vanished = VanishedUids.Compute(mailbox, qresync.ModSeq, qresync.KnownUids, unchangedThrough);
        if (vanished.Length > 0)
        {
            session.WriteLine("* VANISHED (EARLIER) " + vanished);
        }

        uint highest = Math.Max(1, mailbox.UidNext - 1);
        for (int i = 0; i < mailbox.Count; i++)
        {
            MessageRecord record = mailbox.Messages[i];
            if (record.ModSeq > qresync.ModSeq && (qresync.KnownUids is not { } known || known.Contains(record.Uid, highest)))
            {
                session.WriteFlagsFetch(i + 1, record, includeUid: true);
                await session.FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static int FirstUnseen(SelectedMailbox mailbox)
    {
        for (int i = 0; i < mailbox.Count; i++)
        {
            if ((mailbox.Messages[i].Flags & MessageFlags.Seen) == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }
}

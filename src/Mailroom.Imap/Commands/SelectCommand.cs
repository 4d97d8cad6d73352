using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1 for the IMAP4rev1 responses), with the CONDSTORE
/// select parameter (RFC 7162 §3.1.8). The responses are Dovecot's, which clients and admins know.
/// </summary>
internal sealed class SelectCommand(bool readOnly) : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        if (reader.TryReadSpace())
        {
            foreach (string parameter in reader.ReadParenthesizedAtoms())
            {
                if (!parameter.Equals("CONDSTORE", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Protocol.ImapParseException("Unknown select parameter " + parameter + ".");
                }

                session.CondStoreEnabled = true;
            }
        }

        reader.ReadEnd();
        bool hadMailbox = session.Selected is not null;
        session.CloseMailbox();
        if (hadMailbox)
        {
            // RFC 7162 §3.2.11 / RFC 9051 §7.1: the previous mailbox's updates end here.
            session.WriteLine("* OK [CLOSED] Previous mailbox closed.");
        }

        FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            session.No(request, "[NONEXISTENT] Mailbox doesn't exist: " + name);
            return ValueTask.FromResult(SessionAction.Continue);
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
        session.Ok(request, readOnly ? "[READ-ONLY] Examine completed." : "[READ-WRITE] Select completed.");
        return ValueTask.FromResult(SessionAction.Continue);
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

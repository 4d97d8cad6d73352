using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// The STATUS data items (RFC 9051 §6.3.11, RFC 8438 SIZE, RFC 7162 HIGHESTMODSEQ, RFC 9208 DELETED-STORAGE, RFC 7889
/// APPENDLIMIT, RFC 8474 MAILBOXID), for STATUS and LIST-STATUS.
/// </summary>
internal static class StatusItems
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "RECENT", "HIGHESTMODSEQ", "DELETED-STORAGE",
        "APPENDLIMIT", "MAILBOXID",
    };

    /// <summary>
    /// Upper-cases and checks the requested items, each once however often it is asked for (so LIST-STATUS costs the
    /// same for "(MESSAGES MESSAGES ...)" as for "(MESSAGES)"); an unknown one is a BAD.
    /// </summary>
    public static List<string> Parse(List<string> items, ImapSession session)
    {
        var result = new List<string>(items.Count);
        foreach (string item in items)
        {
            string upper = item.ToUpperInvariant();
            if (!Known.Contains(upper) || (upper == "RECENT" && session.Rev2Enabled))
            {
                throw new ImapParseException("Unknown STATUS item " + item + ".");
            }

            if (upper == "HIGHESTMODSEQ")
            {
                // RFC 7162 §3.1: a command that uses modseqs enables CONDSTORE.
                session.EnableCondStore();
            }

            if (!result.Contains(upper))
            {
                result.Add(upper);
            }
        }

        if (result.Count == 0)
        {
            throw new ImapParseException("No STATUS items given.");
        }

        return result;
    }

    /// <summary>Writes <c>* STATUS name (...)</c>; false when the mailbox does not exist.</summary>
    public static bool TryWrite(ImapSession session, string name, IReadOnlyList<string> items)
    {
        using FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            return false;
        }

        MailFolder folder = lease.Folder;
        SelectedMailbox? selected = session.Selected is { } s && s.Folder == folder ? s : null;
        if (selected is not null)
        {
            // RFC 7162 §3.2: the selected mailbox's HIGHESTMODSEQ must not pass an expunge this session has not reported;
            // STATUS may report expunges, so they go first and the values agree with what the session has been told.
            session.SendUpdates(allowExpunge: true);
        }

        FolderView view = folder.Refresh();
        uint recentBoundary = selected is null && items.Contains("RECENT") ? folder.RecentBoundary : 0;
        var text = new StringBuilder();
        foreach (string item in items)
        {
            if (item == "MAILBOXID")
            {
                // RFC 8474 §4.2: status-att-val =/ "MAILBOXID" SP "(" objectid ")".
                // A folder deleted meanwhile has no id to give: the item is left out rather than sent empty.
                if (session.Context.Mailboxes.GetMailboxId(session.User!, folder.Name) is { } mailboxId)
                {
                    text.Append(text.Length == 0 ? "" : " ").Append("MAILBOXID (").Append(mailboxId).Append(')');
                }

                continue;
            }

            long value = item switch
            {
                "MESSAGES" => view.Messages.Count,
                "UIDNEXT" => view.UidNext,
                "UIDVALIDITY" => view.UidValidity,
                "UNSEEN" => view.Messages.Count(static m => (m.Flags & MessageFlags.Seen) == 0),
                "DELETED" => view.Messages.Count(static m => (m.Flags & MessageFlags.Deleted) != 0),
                "SIZE" => view.Messages.Sum(static m => m.Size),

                // RFC 9208 §3.2.1: what an EXPUNGE would give back, in the STORAGE resource's 1024-octet units.
                "DELETED-STORAGE" => StorageQuota.Kibibytes(view.Messages.Where(static m => (m.Flags & MessageFlags.Deleted) != 0).Sum(static m => m.Size)),
                "HIGHESTMODSEQ" => (long)(selected?.HighestModSeq ?? view.HighestModSeq),
                "APPENDLIMIT" => session.Context.Options.MaxLiteralSize,
                // \Recent belongs to the session that claimed it at SELECT. A session that has not selected the folder
                // reports what the next read-write SELECT would claim (RFC 3501 §6.3.10), without claiming it.
                _ => selected?.RecentCount ?? view.Messages.Count(m => m.Uid >= recentBoundary),
            };
            text.Append(text.Length == 0 ? "" : " ").Append(item).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture));
        }

        session.Write("* STATUS ");
        ImapWire.WriteMailboxName(session.Writer, folder.Name, session.Utf8Names);
        session.WriteLine(" (" + text + ")");
        return true;
    }
}

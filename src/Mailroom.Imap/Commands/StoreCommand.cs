using System.Globalization;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS, optionally .SILENT, with CONDSTORE's UNCHANGEDSINCE
/// (RFC 7162 §3.1.3): messages changed since are left alone and named in <c>[MODIFIED set]</c>.
/// </summary>
internal sealed class StoreCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        SequenceSet set = reader.ReadSequenceSet();
        reader.ReadSpace();
        ulong? unchangedSince = null;
        if (reader.PeekChar('('))
        {
            reader.ReadChar('(');
            if (!reader.ReadAtom().Equals("UNCHANGEDSINCE", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImapParseException("Unknown STORE modifier.");
            }

            reader.ReadSpace();
            unchangedSince = reader.ReadNumber64();
            reader.ReadChar(')');
            reader.ReadSpace();
        }

        string item = reader.ReadAtom().ToUpperInvariant();
        bool silent = item.EndsWith(".SILENT", StringComparison.Ordinal);
        FlagUpdateMode mode = (silent ? item[..^7] : item) switch
        {
            "FLAGS" => FlagUpdateMode.Replace,
            "+FLAGS" => FlagUpdateMode.Add,
            "-FLAGS" => FlagUpdateMode.Remove,
            _ => throw new ImapParseException("Invalid STORE data item " + item + "."),
        };
        reader.ReadSpace();
        List<string> names = FlagList.Read(reader, allowBare: true);
        reader.ReadEnd();
        int maxKeywords = session.Context.Options.MaxKeywordsPerMessage;
        MessageFlags flags;
        List<string> keywords;
        try
        {
            (flags, keywords) = FlagList.Parse(names, maxKeywords);
        }
        catch (ImapLimitException ex)
        {
            session.No(request, "[LIMIT] " + ex.Message);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        SelectedMailbox selected = session.Selected!;
        IReadOnlyList<int> indexes = selected.Resolve(set, request.Uid);
        if (selected.ReadOnly)
        {
            session.No(request, "[READ-ONLY] Mailbox is read-only.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (unchangedSince is not null)
        {
            // RFC 7162 §3.1: a CONDSTORE command enables CONDSTORE.
            session.EnableCondStore();
        }

        var uids = new List<uint>(indexes.Count);
        foreach (int index in indexes)
        {
            MessageRecord target = selected.Messages[index];
            if (mode == FlagUpdateMode.Add && keywords.Count > 0 && GrowsPast(target.Keywords, keywords, maxKeywords))
            {
                // RFC 5530 §3 LIMIT: nothing is changed, on any message.
                session.No(request, "[LIMIT] Too many keywords.");
                return ValueTask.FromResult(SessionAction.Continue);
            }

            uids.Add(target.Uid);
        }

        FlagUpdateResult result = uids.Count == 0
            ? new FlagUpdateResult([], [])
            : selected.Folder.UpdateFlags(uids, mode, flags, keywords, unchangedSince);
        var changed = new HashSet<uint>();
        foreach (MessageRecord record in result.Changed)
        {
            selected.Update(record);
            changed.Add(record.Uid);
        }

        var modified = new HashSet<uint>(result.Modified);
        foreach (uint uid in uids)
        {
            int index = selected.IndexOfUid(uid);
            if (index < 0 || modified.Contains(uid))
            {
                continue;
            }

            MessageRecord record = selected.Messages[index];
            if (!silent)
            {
                session.WriteFlagsFetch(index + 1, record, request.Uid || session.QResyncEnabled);
            }
            else if (session.CondStoreEnabled && changed.Contains(uid))
            {
                // RFC 7162 §3.1.3: even .SILENT reports the new mod-sequence; §3.2.4: with the UID once QRESYNC is on.
                session.Write(request.Uid || session.QResyncEnabled
                    ? string.Create(CultureInfo.InvariantCulture, $"* {index + 1} FETCH (UID {uid} ")
                    : string.Create(CultureInfo.InvariantCulture, $"* {index + 1} FETCH ("));
                session.WriteModSeqItem(record);
                session.WriteLine(")");
            }
        }

        if (modified.Count > 0)
        {
            IEnumerable<uint> numbers = request.Uid
                ? result.Modified.Order()
                : result.Modified.Select(u => (uint)(selected.IndexOfUid(u) + 1)).Order();
            session.Ok(request, "[MODIFIED " + SequenceSet.Format(numbers) + "] Conditional STORE failed.");
        }
        else
        {
            session.Ok(request, "Store completed.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }

    /// <summary>Whether adding <paramref name="added"/> takes a message past the limit (one already past it may keep what it has).</summary>
    private static bool GrowsPast(IReadOnlyList<string> current, List<string> added, int maxKeywords)
    {
        int after = FlagList.CountAfterAdding(current, added);
        return after > maxKeywords && after > current.Count;
    }
}

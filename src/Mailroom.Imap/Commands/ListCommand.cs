using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH,
/// SPECIAL-USE; return options SUBSCRIBED, CHILDREN, SPECIAL-USE), LIST-STATUS (RFC 5819) and SPECIAL-USE
/// (RFC 6154). Child and special-use attributes are always sent, as RFC 9051 and RFC 6154 §2 recommend.
/// </summary>
internal sealed class ListCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        ListRequest list;
        try
        {
            list = ListRequest.Parse(request.Arguments(), session);
        }
        catch (ImapLimitException ex)
        {
            session.No(request, "[LIMIT] " + ex.Message);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (list.Patterns is [""] && !list.Extended)
        {
            // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root of the reference.
            session.WriteLine(@"* LIST (\Noselect) ""/"" """"");
            session.Ok(request, "List completed.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        string user = session.User!;
        IReadOnlyList<FolderInfo> folders = session.Context.Mailboxes.ListFolders(user);
        HashSet<string> subscribed = [.. session.Context.Mailboxes.GetSubscriptions(user)];
        var existing = folders.ToDictionary(static f => f.Name, StringComparer.Ordinal);
        List<string> candidates = list.SelectSubscribed
            ? [.. subscribed.Union(list.RecursiveMatch ? folders.Select(static f => f.Name) : []).Order(StringComparer.Ordinal)]
            : [.. folders.Select(static f => f.Name)];
        List<MailboxPattern> patterns = list.Compile(candidates.Count == 0 ? 0 : candidates.Max(static n => n.Length));
        // RFC 5258 §3.5 RECURSIVEMATCH: a parent is listed for a subscribed descendant the patterns do not list
        // themselves (a descendant that is listed speaks for itself; Dovecot and imaptest read it so).
        HashSet<string> subscribedParents = list.SelectSubscribed
            ? ParentsOf(subscribed.Where(n => !patterns.Exists(p => p.IsMatch(n))))
            : [];
        foreach (string name in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!patterns.Exists(p => p.IsMatch(name)))
            {
                continue;
            }

            existing.TryGetValue(name, out FolderInfo? folder);
            bool isSubscribed = subscribed.Contains(name);
            string? childInfo = null;
            if (list.SelectSubscribed && !isSubscribed)
            {
                // RFC 5258 §3.5: a parent listed only because a descendant is subscribed carries CHILDINFO.
                if (!subscribedParents.Contains(name))
                {
                    continue;
                }

                childInfo = @" (""CHILDINFO"" (""SUBSCRIBED""))";
            }

            if (list.SelectSpecialUse && (folder is null || folder.SpecialUse == SpecialUse.None))
            {
                continue;
            }

            WriteEntry(session, list, name, folder, isSubscribed, childInfo);
            if (folder is not null && list.StatusItems is { } items)
            {
                StatusItems.TryWrite(session, name, items);
            }
        }

        session.Ok(request, "List completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }

    /// <summary>Every mailbox above a subscribed one ("A" and "A/B" for "A/B/C").</summary>
    private static HashSet<string> ParentsOf(IEnumerable<string> subscribed)
    {
        HashSet<string> parents = new(StringComparer.Ordinal);
        foreach (string name in subscribed)
        {
            for (int slash = name.IndexOf(MailboxPattern.Delimiter, StringComparison.Ordinal); slash > 0;
                 slash = name.IndexOf(MailboxPattern.Delimiter, slash + 1))
            {
                parents.Add(name[..slash]);
            }
        }

        return parents;
    }

    private static void WriteEntry(ImapSession session, ListRequest list, string name, FolderInfo? folder, bool subscribed, string? childInfo)
    {
        var attributes = new List<string>();
        if (folder is null)
        {
            // RFC 5258 §3: a subscription without its mailbox.
            attributes.Add(@"\NonExistent");
        }
        else
        {
            attributes.Add(folder.HasChildren ? @"\HasChildren" : @"\HasNoChildren");
        }

        if (subscribed && (list.SelectSubscribed || list.ReturnSubscribed))
        {
            attributes.Add(@"\Subscribed");
        }

        if (folder is not null && folder.SpecialUse != SpecialUse.None)
        {
            attributes.Add("\\" + folder.SpecialUse);
        }

        session.Write("* LIST (" + string.Join(' ', attributes) + ") \"/\" ");
        ImapWire.WriteMailboxName(session.Writer, name, session.Utf8Names);
        session.WriteLine(childInfo ?? "");
    }
}

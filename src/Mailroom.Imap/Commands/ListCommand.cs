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
        ListRequest list = ListRequest.Parse(request.Arguments(), session);
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
        IEnumerable<string> candidates = list.SelectSubscribed
            ? subscribed.Union(list.RecursiveMatch ? folders.Select(static f => f.Name) : []).Order(StringComparer.Ordinal)
            : folders.Select(static f => f.Name);
        foreach (string name in candidates)
        {
            if (!list.Matches(name))
            {
                continue;
            }

            existing.TryGetValue(name, out FolderInfo? folder);
            bool isSubscribed = subscribed.Contains(name);
            string? childInfo = null;
            if (list.SelectSubscribed && !isSubscribed)
            {
                // RFC 5258 §3.5: a parent listed only because a descendant is subscribed carries CHILDINFO.
                if (!subscribed.Any(s => s.StartsWith(name + "/", StringComparison.Ordinal)))
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

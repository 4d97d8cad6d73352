using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// LSUB (RFC 3501 §6.3.9, kept for IMAP4rev1 clients): subscribed names matching the pattern; a parent matched by
/// "%" only through a subscribed child is listed \Noselect.
/// </summary>
internal sealed class LsubCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string reference = reader.ReadListMailbox(session.Utf8Names);
        reader.ReadSpace();
        string pattern = MailboxPattern.Combine(reference, reader.ReadListMailbox(session.Utf8Names));
        reader.ReadEnd();
        string user = session.User!;
        HashSet<string> existing = [.. session.Context.Mailboxes.ListFolders(user).Select(static f => f.Name)];
        IReadOnlyList<string> subscriptions = session.Context.Mailboxes.GetSubscriptions(user);
        MailboxPattern matcher = MailboxPattern.Compile(pattern, subscriptions.Count == 0 ? 0 : subscriptions.Max(static n => n.Length));
        var listed = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        foreach (string name in subscriptions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (matcher.IsMatch(name))
            {
                listed[name] = existing.Contains(name);
                continue;
            }

            for (int slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/', slash - 1))
            {
                string parent = name[..slash];
                if (matcher.IsMatch(parent))
                {
                    listed.TryAdd(parent, false);
                    break;
                }
            }
        }

        HashSet<string> subscribedNames = [.. subscriptions];
        foreach ((string name, bool selectable) in listed)
        {
            bool subscribed = subscribedNames.Contains(name);
            session.Write(selectable || subscribed ? "* LSUB () \"/\" " : "* LSUB (\\Noselect) \"/\" ");
            ImapWire.WriteMailboxName(session.Writer, name, session.Utf8Names);
            session.WriteLine("");
        }

        session.Ok(request, "Lsub completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}

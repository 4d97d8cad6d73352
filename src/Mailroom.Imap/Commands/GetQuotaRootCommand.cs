using Mailroom.Core;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// GETQUOTAROOT mailbox (RFC 9208 §4.1.2): <c>* QUOTAROOT mailbox ""</c>, then the root's <c>* QUOTA</c>. Every folder
/// of a user lies under the user's one root; a mailbox that does not exist is refused as STATUS refuses it.
/// </summary>
internal sealed class GetQuotaRootCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadEnd();
        string canonical;
        using (FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name))
        {
            if (lease is null)
            {
                session.No(request, "[NONEXISTENT] Mailbox doesn't exist: " + name);
                return SessionAction.Continue;
            }

            canonical = lease.Folder.Name;
        }

        if (await StorageQuota.TryGetAsync(session, request, cancellationToken).ConfigureAwait(false) is not { } usage)
        {
            return SessionAction.Continue;
        }

        session.Write("* QUOTAROOT ");
        ImapWire.WriteMailboxName(session.Writer, canonical, session.Utf8Names);
        session.WriteLine(" \"" + StorageQuota.RootName + "\"");
        StorageQuota.WriteQuota(session, usage);
        session.Ok(request, "Getquotaroot completed.");
        return SessionAction.Continue;
    }
}

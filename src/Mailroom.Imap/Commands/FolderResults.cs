using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>The tagged reply for a folder operation's result, with RFC 5530 response codes and Dovecot's texts.</summary>
internal static class FolderResults
{
    public static void Reply(ImapSession session, ImapRequest request, FolderResult result, string success)
    {
        switch (result)
        {
            case FolderResult.Ok:
                session.Ok(request, success);
                break;
            case FolderResult.AlreadyExists:
                session.No(request, "[ALREADYEXISTS] Mailbox already exists");
                break;
            case FolderResult.NotFound:
                session.No(request, "[NONEXISTENT] Mailbox doesn't exist.");
                break;
            case FolderResult.CannotDeleteInbox:
                session.No(request, "[CANNOT] INBOX can't be deleted.");
                break;
            case FolderResult.HasChildrenNoSelect:
                session.No(request, "[HASCHILDREN] Mailbox has children, delete them first");
                break;
            default:
                session.No(request, "[CANNOT] Invalid mailbox name.");
                break;
        }
    }
}

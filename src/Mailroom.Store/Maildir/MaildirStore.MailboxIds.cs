using System.Text;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>
/// RFC 8474 §4 MAILBOXID: a random id kept in the file <c>mailroom-mailboxid</c> inside the folder's own directory
/// (the Maildir itself for INBOX), made the first time anybody asks. RENAME moves the directory and the id with it;
/// DELETE removes both, so a folder created again under the name starts with a new one.
/// </summary>
public sealed partial class MaildirStore
{
    internal const string MailboxIdFileName = "mailroom-mailboxid";

    public string? GetMailboxId(string user, string name)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return null;
        }

        UserMailboxes owner = Acquire(user);
        try
        {
            lock (owner.ManagementGate)
            {
                string folderPath = FolderNames.GetPath(owner.Maildir, canonical);
                return System.IO.Directory.Exists(folderPath) ? ReadOrCreateMailboxId(folderPath) : null;
            }
        }
        finally
        {
            Release(owner);
        }
    }

    /// <summary>The folder's id; a missing or unreadable file gets a new one (tmp → fsync → rename → directory fsync).</summary>
    private static string ReadOrCreateMailboxId(string folderPath)
    {
        string path = Path.Combine(folderPath, MailboxIdFileName);
        try
        {
            string existing = File.ReadAllText(path, Encoding.ASCII).Trim();
            if (ObjectIds.IsValid(existing))
            {
                return existing;
            }
        }
        catch (FileNotFoundException)
        {
            // Never asked for before (or a folder another program made): it gets its id now.
        }

        string id = ObjectIds.New('F');
        string tmp = path + ".tmp";
        using (var handle = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(id + "\n"), 0);
            DurableFile.FlushFile(handle);
        }

        File.Move(tmp, path, overwrite: true);
        DurableFile.FlushDirectory(folderPath);
        return id;
    }
}

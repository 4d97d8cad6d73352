using System.Text;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>SUBSCRIBE, UNSUBSCRIBE, LSUB data: the <c>subscriptions</c> file of the Maildir, one name per line (Dovecot).</summary>
public sealed partial class MaildirStore
{
    internal const string SubscriptionsFileName = "subscriptions";

    public void SetSubscribed(string user, string name, bool subscribed)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            throw new ArgumentException($"'{name}' is not a valid folder name.", nameof(name));
        }

        UserMailboxes owner = Acquire(user);
        try
        {
            lock (owner.ManagementGate)
            {
                List<string> names = ReadSubscriptions(owner.Maildir);
                bool present = names.Contains(canonical, StringComparer.Ordinal);
                if (subscribed && !present)
                {
                    names.Add(canonical);
                }
                else if (!subscribed && present)
                {
                    names.RemoveAll(n => n == canonical);
                }
                else
                {
                    return;
                }

                WriteSubscriptions(owner.Maildir, names);
            }
        }
        finally
        {
            Release(owner);
        }

        OnFolderListChanged([new FolderListChange(user, subscribed ? FolderListChangeKind.Subscribed : FolderListChangeKind.Unsubscribed, canonical)]);
    }

    public IReadOnlyList<string> GetSubscriptions(string user)
    {
        UserMailboxes owner = Acquire(user);
        try
        {
            lock (owner.ManagementGate)
            {
                return ReadSubscriptions(owner.Maildir);
            }
        }
        finally
        {
            Release(owner);
        }
    }

    private static void RenameSubscriptions(UserMailboxes owner, string source, string target)
    {
        List<string> names = ReadSubscriptions(owner.Maildir);
        bool changed = false;
        for (int i = 0; i < names.Count; i++)
        {
            if (FolderNames.IsSelfOrDescendant(names[i], source))
            {
                names[i] = target + names[i][source.Length..];
                changed = true;
            }
        }

        if (changed)
        {
            WriteSubscriptions(owner.Maildir, [.. names.Distinct(StringComparer.Ordinal)]);
        }
    }

    private static List<string> ReadSubscriptions(string maildir)
    {
        try
        {
            return [.. File.ReadAllLines(Path.Combine(maildir, SubscriptionsFileName), Encoding.UTF8)
                .Where(static line => line.Length > 0)
                .Distinct(StringComparer.Ordinal)];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Replaced atomically (tmp → fsync → rename → directory fsync).</summary>
    private static void WriteSubscriptions(string maildir, IReadOnlyList<string> names)
    {
        string path = Path.Combine(maildir, SubscriptionsFileName);
        string tmp = path + ".tmp";
        var text = new StringBuilder();
        foreach (string name in names)
        {
            text.Append(name).Append('\n');
        }

        using (var handle = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(text.ToString()), 0);
            DurableFile.FlushFile(handle);
        }

        File.Move(tmp, path, overwrite: true);
        DurableFile.FlushDirectory(maildir);
    }
}

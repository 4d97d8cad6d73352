namespace Mailroom.Store.Maildir;

/// <summary>
/// What a user's mail takes, for the quota: every message file under <c>cur/</c> and <c>new/</c> of INBOX and of each
/// Maildir++ subfolder, sized from the <c>,S=&lt;bytes&gt;</c> field of its name where present (Dovecot's and ours:
/// no <c>stat</c> per file), else from the file. The index is not opened: the directories are the truth, and a
/// delivery to a user nobody reads costs no index.
/// </summary>
public sealed partial class MaildirStore
{
    public long MeasureUsedBytes(string user)
    {
        string maildir = GetMaildirPath(user);
        if (!System.IO.Directory.Exists(maildir))
        {
            return 0;
        }

        long total = SumFolder(maildir);
        foreach (string folder in System.IO.Directory.EnumerateDirectories(maildir, ".*"))
        {
            total += SumFolder(folder);
        }

        return total;
    }

    private static long SumFolder(string folder)
    {
        long total = 0;
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new"])
        {
            var directory = new DirectoryInfo(Path.Combine(folder, sub));
            if (!directory.Exists)
            {
                continue;
            }

            try
            {
                foreach (FileInfo file in directory.EnumerateFiles())
                {
                    total += SizeOf(file);
                }
            }
            catch (DirectoryNotFoundException)
            {
                // The folder was deleted while we counted (IMAP DELETE): it holds nothing any more.
            }
        }

        return total;
    }

    private static long SizeOf(FileInfo file)
    {
        long size = MaildirFileName.SizeField(file.Name, 'S');
        if (size >= 0)
        {
            return size;
        }

        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}

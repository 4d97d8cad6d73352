using System.IO.Enumeration;
using Mailroom.Store;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// The snapshot of a Maildir taken at login (RFC 1939 §4: message numbers refer to it for the whole session):
/// messages in new/ and cur/ in delivery order. Mail delivered later appears in the next session.
/// </summary>
internal sealed class Maildrop
{
    // As EnumerateFiles lists: nothing skipped for its attributes (dot files are skipped by name below), and an
    // unreadable directory is an error, not an empty maildrop.
    private static readonly EnumerationOptions ListingOptions = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    private readonly string _maildir;
    private readonly List<MaildropMessage> _messages;
    private readonly Action<string> _flushDirectory;

    private Maildrop(string maildir, List<MaildropMessage> messages, Action<string> flushDirectory)
    {
        _maildir = maildir;
        _messages = messages;
        _flushDirectory = flushDirectory;
        InitialSize = messages.Sum(static m => m.Size);
    }

    public IReadOnlyList<MaildropMessage> Messages => _messages;

    /// <summary>Total size at login (the <c>size=</c> of Dovecot's logout line).</summary>
    public long InitialSize { get; }

    /// <summary>Lists new/ and cur/; a mailbox that never received mail is an empty maildrop.</summary>
    /// <exception cref="IOException">A directory cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory cannot be read.</exception>
    public static Maildrop Load(string maildir, WireSize sizes) => Load(maildir, sizes, DurableFile.FlushDirectory);

    /// <param name="maildir">The Maildir.</param>
    /// <param name="sizes">The wire sizes known so far.</param>
    /// <param name="flushDirectory">fsync of a directory (tests observe it).</param>
    internal static Maildrop Load(string maildir, WireSize sizes, Action<string> flushDirectory)
    {
        var messages = new List<MaildropMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string sub in (ReadOnlySpan<string>)["new", "cur"])
        {
            string directory = System.IO.Path.Combine(maildir, sub);
            if (!System.IO.Directory.Exists(directory))
            {
                continue;
            }

            var names = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), ListingOptions)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            };
            foreach (string fileName in names)
            {
                // Dot files are not messages (Maildir spec).
                if (!MaildirFileName.IsMessageName(fileName))
                {
                    continue;
                }

                // A message moved from new/ to cur/ while we listed may show up twice.
                string baseName = MaildirFileName.BaseName(fileName);
                if (!seen.Add(baseName))
                {
                    continue;
                }

                string path = System.IO.Path.Join(directory, fileName);
                try
                {
                    messages.Add(new MaildropMessage(path, baseName, MaildirFileName.InfoLetters(fileName), sizes.Measure(path, baseName)));
                }
                catch (FileNotFoundException)
                {
                    // Expunged by another agent while we listed.
                }
            }
        }

        MaildirFileName.SortByDeliveryOrder(messages, static m => m.BaseName);
        return new Maildrop(maildir, messages, flushDirectory);
    }

    /// <summary>Opens a message for reading, following it if another agent (an IMAP session) renamed it since login.</summary>
    /// <exception cref="FileNotFoundException">The message has been removed.</exception>
    public SafeFileHandle Open(MaildropMessage message)
    {
        try
        {
            return OpenFile(message.Path);
        }
        catch (FileNotFoundException)
        {
            message.Path = Locate(message) ?? throw new FileNotFoundException("The message was removed.", message.Path);
            return OpenFile(message.Path);
        }
    }

    /// <summary>
    /// The UPDATE state (RFC 1939 §6): removes the messages marked deleted and gives retrieved ones the Seen flag,
    /// moving them from new/ to cur/. Unretrieved messages in new/ stay there, so <c>mail -u</c> and mutt still show
    /// them as new. The directories are fsynced before the client is answered, so that a crash cannot bring back a
    /// message the client was told is gone. Returns how many marked messages could not be removed (or made durably gone).
    /// </summary>
    public int Commit()
    {
        int failures = 0;
        int deleted = 0;
        bool changed = false;
        foreach (MaildropMessage message in _messages)
        {
            try
            {
                if (message.Deleted)
                {
                    changed = true;
                    Delete(message);
                    deleted++;
                }
                else if (message.Retrieved && !message.Flags.Contains('S', StringComparison.Ordinal))
                {
                    changed = true;
                    MarkSeen(message);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures += message.Deleted ? 1 : 0;
            }
        }

        if (changed && !FlushDirectories())
        {
            // The unlinks may not have reached the disk: the client must not forget those messages yet.
            failures += deleted;
        }

        return failures;
    }

    private bool FlushDirectories()
    {
        bool flushed = true;
        foreach (string sub in (ReadOnlySpan<string>)["new", "cur"])
        {
            string directory = System.IO.Path.Combine(_maildir, sub);
            try
            {
                if (System.IO.Directory.Exists(directory))
                {
                    _flushDirectory(directory);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                flushed = false;
            }
        }

        return flushed;
    }

    private void Delete(MaildropMessage message)
    {
        if (File.Exists(message.Path))
        {
            File.Delete(message.Path);
        }
        else if (Locate(message) is { } moved)
        {
            File.Delete(moved);
        }
    }

    private void MarkSeen(MaildropMessage message)
    {
        string target = System.IO.Path.Combine(_maildir, "cur", MaildirFileName.CurName(message.BaseName, MaildirFileName.WithLetter(message.Flags, 'S')));
        try
        {
            File.Move(message.Path, target, overwrite: false);
        }
        catch (FileNotFoundException)
        {
            // Renamed or removed by another agent since login: its flags are its business now.
        }
    }

    private string? Locate(MaildropMessage message)
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new"])
        {
            string directory = System.IO.Path.Combine(_maildir, sub);
            if (!System.IO.Directory.Exists(directory))
            {
                continue;
            }

            foreach (string path in System.IO.Directory.EnumerateFiles(directory, message.BaseName + "*"))
            {
                if (MaildirFileName.BaseName(System.IO.Path.GetFileName(path)) == message.BaseName)
                {
                    return path;
                }
            }
        }

        return null;
    }

    // No FileOptions: SequentialScan only adds a posix_fadvise call per RETR (the kernel reads ahead anyway), and the
    // message is read synchronously (MessageSender).
    private static SafeFileHandle OpenFile(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
}

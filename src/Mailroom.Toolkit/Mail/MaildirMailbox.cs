using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Toolkit.Mail;

/// <summary>
/// Reads a Maildir (<c>new/</c>, <c>cur/</c>, <c>tmp/</c>) as plain files, as mail(1) or mutt would: the
/// toolkit knows nothing of the server's index.
/// </summary>
internal sealed class MaildirMailbox
{
    // Maildir info suffix: "name:2,FLAGS", flags in ASCII order (https://cr.yp.to/proto/maildir.html).
    private const string InfoSeparator = ":2,";

    private MaildirMailbox(string path, IReadOnlyList<MaildirMessage> messages)
    {
        Path = path;
        Messages = messages;
    }

    public string Path { get; }

    public IReadOnlyList<MaildirMessage> Messages { get; }

    /// <summary>The Maildir of <c>user@domain</c> under <c>DATA/mail/domain/localpart</c>.</summary>
    public static string Locate(string dataDirectory, string user)
    {
        int at = user.LastIndexOf('@');
        if (at <= 0 || at == user.Length - 1 || user.Contains('/', StringComparison.Ordinal) || user.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{user}' is not a user of the form user@domain.", nameof(user));
        }

        return System.IO.Path.Combine(dataDirectory, "mail", user[(at + 1)..].ToLowerInvariant(), user[..at]);
    }

    /// <summary>Loads the message list, oldest first (by delivery time, then file name).</summary>
    public static MaildirMailbox Load(string path)
    {
        if (!Directory.Exists(System.IO.Path.Combine(path, "cur")) && !Directory.Exists(System.IO.Path.Combine(path, "new")))
        {
            throw new DirectoryNotFoundException($"No mailbox at {path}.");
        }

        var files = new List<FileInfo>();
        foreach (string sub in new[] { "new", "cur" })
        {
            var directory = new DirectoryInfo(System.IO.Path.Combine(path, sub));
            if (directory.Exists)
            {
                files.AddRange(directory.EnumerateFiles().Where(f => !f.Name.StartsWith('.')));
            }
        }

        MaildirMessage[] messages = [.. files
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => BaseName(f.Name), StringComparer.Ordinal)
            .Select(Read)];
        return new MaildirMailbox(path, messages);
    }

    public static bool IsNewFile(string path) =>
        System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) == "new" || !Flags(System.IO.Path.GetFileName(path)).Contains('S', StringComparison.Ordinal);

    /// <summary>Marks the message seen: moves <c>new/</c> files to <c>cur/</c> and adds the <c>S</c> flag.</summary>
    public static string MarkSeen(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        string flags = Flags(name);
        string newFlags = flags.Contains('S', StringComparison.Ordinal) ? flags : new string([.. (flags + "S").Order()]);
        string mailbox = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(path))!;
        string target = System.IO.Path.Combine(mailbox, "cur", BaseName(name) + InfoSeparator + newFlags);
        if (target != path)
        {
            File.Move(path, target);
        }

        return target;
    }

    private static string BaseName(string name)
    {
        int info = name.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return info < 0 ? name : name[..info];
    }

    private static string Flags(string name)
    {
        int info = name.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return info < 0 ? string.Empty : name[(info + InfoSeparator.Length)..];
    }

    private static MaildirMessage Read(FileInfo file)
    {
        using FileStream stream = file.OpenRead();
        HeaderList headers;
        try
        {
            headers = HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            headers = [];
        }

        stream.Position = 0;
        int lines = CountLines(stream);
        string from = headers[HeaderId.From] is { } fromText && InternetAddressList.TryParse(fromText, out InternetAddressList? list) && list.Mailboxes.FirstOrDefault() is { } mailbox
            ? (string.IsNullOrEmpty(mailbox.Name) ? mailbox.Address : mailbox.Name)
            : headers[HeaderId.From] ?? string.Empty;
        DateTimeOffset? date = headers[HeaderId.Date] is { } dateText && DateUtils.TryParse(dateText, out DateTimeOffset parsed) ? parsed : null;
        return new MaildirMessage(file.FullName, IsNewFile(file.FullName), file.Length, lines, from, date, headers[HeaderId.Subject] ?? string.Empty);
    }

    private static int CountLines(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[8192];
        int lines = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer[..read].Count((byte)'\n');
        }

        return lines;
    }
}

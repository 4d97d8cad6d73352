using System.Text;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>A temporary mail root with a Maildir store that can be "restarted".</summary>
internal sealed class MailboxTestContext : IDisposable
{
    public const string User = "alice@example.org";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mailroom-mailboxes-");
    private readonly Action<StoreOptions>? _configure;
    private readonly TimeProvider _time;
    private readonly ILogger<MaildirStore> _logger;

    public MailboxTestContext(Action<StoreOptions>? configure = null, TimeProvider? time = null, ILogger<MaildirStore>? logger = null)
    {
        _configure = configure;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<MaildirStore>.Instance;
        Start();
    }

    public MaildirStore Store { get; private set; } = null!;

    public string Maildir => Store.GetMaildirPath(User);

    /// <summary>A new store over the same files, as after a process restart.</summary>
    public void Restart()
    {
        Store.Dispose();
        Start();
    }

    public FolderLease Open(string name = "INBOX") => Store.OpenFolder(User, name) ?? throw new InvalidOperationException(name);

    /// <summary>Delivers a message into the INBOX; returns the file it was stored in (in new/).</summary>
    public async Task<string> DeliverAsync(string subject)
    {
        string newDirectory = Path.Combine(Maildir, "new");
        HashSet<string> before = Directory.Exists(newDirectory) ? [.. Directory.GetFiles(newDirectory)] : [];
        await StoreOperations.DeliverAsync(Store, User, Message(subject));
        return Assert.Single(Directory.GetFiles(newDirectory), file => !before.Contains(file));
    }

    /// <summary>Dates new/ and cur/ back a minute: older than the coarse-mtime window, as a folder nobody touched lately.</summary>
    public static void AgeDirectories(string folderPath)
    {
        DateTime old = DateTime.UtcNow.AddMinutes(-1);
        Directory.SetLastWriteTimeUtc(Path.Combine(folderPath, "new"), old);
        Directory.SetLastWriteTimeUtc(Path.Combine(folderPath, "cur"), old);
    }

    public static byte[] Message(string subject) => Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody of {subject}\r\n");

    public static Task<uint> AppendAsync(MailFolder folder, string subject, MessageFlags flags = MessageFlags.None, params string[] keywords) =>
        StoreOperations.AppendAsync(folder, Message(subject), flags, keywords, DateTimeOffset.UtcNow);

    public static string ReadSubject(MailFolder folder, uint uid)
    {
        using Stream content = folder.OpenContent(uid);
        using var reader = new StreamReader(content, Encoding.ASCII);
        return reader.ReadLine()!["Subject: ".Length..];
    }

    public void Dispose()
    {
        Store.Dispose();
        _root.Delete(recursive: true);
    }

    private void Start()
    {
        var settings = new StoreOptions { MailRoot = _root.FullName };
        _configure?.Invoke(settings);
        Store = new MaildirStore(Options.Create(settings), _time, _logger);
    }
}

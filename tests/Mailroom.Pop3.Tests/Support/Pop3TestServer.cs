using System.Net;
using System.Text;
using Mailroom.Core;
using Mailroom.Net;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Memory;
using Mailroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Pop3.Tests.Support;

/// <summary>
/// A real <see cref="MailListenerHost"/> on 127.0.0.1:0 with a plain (pop3) and an implicit-TLS (pop3s) listener,
/// a fake directory and a real store: in memory, or (for tests that look at the files) Maildirs in a temporary
/// directory.
/// </summary>
internal sealed class Pop3TestServer : IAsyncDisposable
{
    public const string Charlie = "charlie@alpha.example.org";

    private readonly DirectoryInfo? _ownedRoot;

    private Pop3TestServer(DirectoryInfo? ownedRoot, string root, MailListenerHost host, IMailboxStore store, FakeLoginDirectory directory, LogCapture logs, Pop3MailboxLocks locks)
    {
        _ownedRoot = ownedRoot;
        Root = root;
        Host = host;
        Store = store;
        Directory = directory;
        Logs = logs;
        Locks = locks;
    }

    public string Root { get; }

    public MailListenerHost Host { get; }

    public IMailboxStore Store { get; }

    /// <summary>The Maildir store, for tests started with <c>maildir: true</c>.</summary>
    public MaildirStore Maildirs => (MaildirStore)Store;

    public FakeLoginDirectory Directory { get; }

    public LogCapture Logs { get; }

    public Pop3MailboxLocks Locks { get; }

    public IPEndPoint EndPoint => Host.GetBoundEndPoints("pop3")[0];

    public IPEndPoint TlsEndPoint => Host.GetBoundEndPoints("pop3s")[0];

    public string CharlieMaildir => Maildirs.GetMaildirPath(Charlie);

    /// <summary>
    /// Starts a server on an in-memory store, or on Maildirs with <paramref name="maildir"/>; with
    /// <paramref name="existingRoot"/> it serves that Maildir data (a restart) and does not delete it.
    /// </summary>
    public static async Task<Pop3TestServer> StartAsync(Action<Pop3Options>? configure = null, Action<NetOptions>? configureNet = null, string? existingRoot = null, TimeProvider? time = null, bool maildir = false, Mailroom.Net.Trace.SessionTracer? tracer = null)
    {
        time ??= TimeProvider.System;
        DirectoryInfo? owned = existingRoot is null ? System.IO.Directory.CreateTempSubdirectory("mailroom-pop3-") : null;
        string root = existingRoot ?? owned!.FullName;
        var netOptions = new NetOptions();
        netOptions.Tls.TlsDirectory = Path.Combine(root, "tls");
        netOptions.Tls.HostName = "localhost";
        configureNet?.Invoke(netOptions);
        CertificateCache.Seed(netOptions.Tls.TlsDirectory);
        var options = new Pop3Options();
        configure?.Invoke(options);

        IMailboxStore store = maildir || existingRoot is not null
            ? new MaildirStore(Options.Create(new StoreOptions { MailRoot = Path.Combine(root, "mail") }), TimeProvider.System, NullLogger<MaildirStore>.Instance)
            : new MemoryMailboxStore();
        var certificates = new TlsCertificateProvider(Options.Create(netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var throttle = new AuthFailureThrottle(Options.Create(netOptions), time);
        var directory = new FakeLoginDirectory();
        var logs = new LogCapture();
        var locks = new Pop3MailboxLocks();
        Pop3ConnectionHandler Handler(Pop3ListenerRole role) =>
            new(role, Options.Create(options), directory, locks, store, throttle, logs, time);
        ListenerBinding[] bindings =
        [
            new("pop3", [new IPEndPoint(IPAddress.Loopback, 0)], false, Handler(Pop3ListenerRole.Pop3)),
            new("pop3s", [new IPEndPoint(IPAddress.Loopback, 0)], true, Handler(Pop3ListenerRole.Pop3s)),
        ];
        var host = new MailListenerHost(bindings, certificates, Options.Create(netOptions), TimeProvider.System, NullLogger<MailListenerHost>.Instance, tracer);
        await host.StartAsync(CancellationToken.None);
        CertificateCache.Keep(netOptions.Tls.TlsDirectory);
        return new Pop3TestServer(owned, root, host, store, directory, logs, locks);
    }

    public Task<RawClient> ConnectAsync() => RawClient.ConnectAsync(EndPoint);

    /// <summary>
    /// Delivers a message (LF line ends in <paramref name="text"/> become CRLF, as SMTP stores them); returns its name in
    /// the store (the UIDL), its size and, on Maildirs, the file it went to.
    /// </summary>
    public async Task<DeliveredMessage> DeliverAsync(string text, string mailbox = Charlie)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));
        string? newDirectory = Store is MaildirStore maildirs ? Path.Combine(maildirs.GetMaildirPath(mailbox), "new") : null;
        HashSet<string> before = newDirectory is not null && System.IO.Directory.Exists(newDirectory) ? [.. System.IO.Directory.GetFiles(newDirectory)] : [];
        using (SaveTransaction delivery = Store.BeginDelivery(mailbox))
        {
            MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], null);
            await writer.WriteAsync(bytes, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            await delivery.CommitAsync(TestContext.Current.CancellationToken);
        }

        if (newDirectory is not null)
        {
            string path = Assert.Single(System.IO.Directory.GetFiles(newDirectory), file => !before.Contains(file));
            return new DeliveredMessage(Path.GetFileName(path), bytes.Length, path);
        }

        using FolderLease inbox = Store.OpenFolder(mailbox, "INBOX", keepNew: true)!;
        return new DeliveredMessage(inbox.Folder.Current.Messages[^1].BaseName, bytes.Length, null);
    }

    public static string Message(int i, string body = "Hello.") =>
        $"From: sender@example.net\nTo: {Charlie}\nSubject: Test {i}\nMessage-ID: <{i}@example.net>\n\n{body}\n";

    /// <summary>Waits (bounded) until a disconnect line has been logged, then returns the pop3 lines.</summary>
    public async Task<IReadOnlyList<string>> LinesAfterDisconnectAsync(int disconnects = 1)
    {
        for (int i = 0; i < 3000; i++)
        {
            IReadOnlyList<string> lines = Logs.Lines(MaillogCategories.Pop3);
            if (lines.Count(l => l.Contains("Disconnected", StringComparison.Ordinal)) >= disconnects)
            {
                return lines;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return Logs.Lines(MaillogCategories.Pop3);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        (Store as IDisposable)?.Dispose();
        _ownedRoot?.Delete(recursive: true);
    }
}

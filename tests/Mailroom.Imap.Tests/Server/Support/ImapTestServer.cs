using System.Net;
using System.Text;
using MailKit.Net.Imap;
using MailKit.Security;
using Mailroom.Core;
using Mailroom.Net;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Memory;
using Mailroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>
/// A real <see cref="MailListenerHost"/> on 127.0.0.1:0 with a plain (imap) and an implicit-TLS (imaps) listener,
/// a fake directory, quota limits the test sets, and a real store: in memory, or (for tests that look at the files)
/// Maildirs in a temporary directory.
/// </summary>
internal sealed class ImapTestServer : IAsyncDisposable
{
    public const string Charlie = "charlie@alpha.example.org";

    private readonly DirectoryInfo _root;

    private ImapTestServer(DirectoryInfo root, MailListenerHost host, IMailboxStore mailboxes, QuotaLimits quotas, FakeLoginDirectory directory, LogCapture logs)
    {
        _root = root;
        Host = host;
        Mailboxes = mailboxes;
        Quotas = quotas;
        Directory = directory;
        Logs = logs;
    }

    public MailListenerHost Host { get; }

    public IMailboxStore Mailboxes { get; }

    /// <summary>The Maildir store, for tests started with <c>maildir: true</c>.</summary>
    public MaildirStore Maildirs => (MaildirStore)Mailboxes;

    /// <summary>The users' quotas in bytes (absent: none).</summary>
    public QuotaLimits Quotas { get; }

    public FakeLoginDirectory Directory { get; }

    public LogCapture Logs { get; }

    public IPEndPoint EndPoint => Host.GetBoundEndPoints("imap")[0];

    public IPEndPoint TlsEndPoint => Host.GetBoundEndPoints("imaps")[0];

    /// <summary>
    /// Starts a server on an in-memory store, or on Maildirs with <paramref name="maildir"/>; the store indexes messages
    /// as it saves them (<see cref="ImapMessageIndexer"/>), as in <c>serve</c>, unless <paramref name="indexing"/> is false.
    /// </summary>
    public static async Task<ImapTestServer> StartAsync(Action<ImapOptions>? configure = null, Action<NetOptions>? configureNet = null, TimeProvider? time = null, bool maildir = false, Action<StoreOptions>? configureStore = null, Mailroom.Net.Trace.SessionTracer? tracer = null, bool indexing = true)
    {
        time ??= TimeProvider.System;
        DirectoryInfo root = System.IO.Directory.CreateTempSubdirectory("mailroom-imap-");
        var netOptions = new NetOptions();
        netOptions.Tls.TlsDirectory = Path.Combine(root.FullName, "tls");
        netOptions.Tls.HostName = "localhost";
        configureNet?.Invoke(netOptions);
        CertificateCache.Seed(netOptions.Tls.TlsDirectory);
        var options = new ImapOptions();
        configure?.Invoke(options);

        var storeOptions = new StoreOptions { MailRoot = Path.Combine(root.FullName, "mail") };
        configureStore?.Invoke(storeOptions);
        ImapMessageIndexer? indexer = indexing ? new ImapMessageIndexer(Options.Create(options)) : null;
        IMailboxStore mailboxes = maildir
            ? new MaildirStore(Options.Create(storeOptions), TimeProvider.System, NullLogger<MaildirStore>.Instance, indexer)
            : new MemoryMailboxStore(indexer: indexer, options: storeOptions);
        var quotas = new QuotaLimits();
        var quota = new MailboxQuota(mailboxes, TimeProvider.System, quotas);
        var certificates = new TlsCertificateProvider(Options.Create(netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var throttle = new AuthFailureThrottle(Options.Create(netOptions), time);
        var directory = new FakeLoginDirectory();
        var logs = new LogCapture();
        ImapConnectionHandler Handler(ImapListenerRole role) =>
            new(role, Options.Create(options), directory, mailboxes, quota, throttle, logs, time);
        ListenerBinding[] bindings =
        [
            new("imap", [new IPEndPoint(IPAddress.Loopback, 0)], false, Handler(ImapListenerRole.Imap)),
            new("imaps", [new IPEndPoint(IPAddress.Loopback, 0)], true, Handler(ImapListenerRole.Imaps)),
        ];
        var host = new MailListenerHost(bindings, certificates, Options.Create(netOptions), TimeProvider.System, NullLogger<MailListenerHost>.Instance, tracer);
        await host.StartAsync(CancellationToken.None);
        CertificateCache.Keep(netOptions.Tls.TlsDirectory);
        return new ImapTestServer(root, host, mailboxes, quotas, directory, logs);
    }

    public Task<RawImapClient> ConnectAsync() => RawImapClient.ConnectAsync(EndPoint);

    /// <summary>A raw client that has read the greeting and logged in as charlie.</summary>
    public async Task<RawImapClient> LoggedInAsync()
    {
        RawImapClient client = await ConnectAsync();
        await client.LoginAsync();
        return client;
    }

    /// <summary>A raw client logged in as charlie that has sent ENABLE <paramref name="enable"/> and selected INBOX.</summary>
    public async Task<RawImapClient> SelectedInboxAsync(string enable)
    {
        RawImapClient client = await LoggedInAsync();
        await client.CommandAsync("e", "ENABLE " + enable);
        await client.CommandAsync("s", "SELECT INBOX");
        return client;
    }

    /// <summary>A MailKit client connected (plain, STARTTLS or implicit TLS) and, unless told otherwise, logged in as charlie.</summary>
    public async Task<ImapClient> ConnectMailKitAsync(SecureSocketOptions security = SecureSocketOptions.None, bool login = true)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        IPEndPoint endPoint = security == SecureSocketOptions.SslOnConnect ? TlsEndPoint : EndPoint;
        await client.ConnectAsync("127.0.0.1", endPoint.Port, security, TestContext.Current.CancellationToken);
        if (login)
        {
            await client.AuthenticateAsync(Charlie, "charlie", TestContext.Current.CancellationToken);
        }

        return client;
    }

    /// <summary>Delivers a message the way local delivery does (LF line ends become CRLF, as SMTP stores them).</summary>
    public async Task DeliverAsync(string text, string mailbox = Charlie)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));
        using SaveTransaction delivery = Mailboxes.BeginDelivery(mailbox);
        MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], null);
        await writer.WriteAsync(bytes, TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        await delivery.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Delivers <see cref="Message"/> 1 to <paramref name="count"/>, in that order.</summary>
    public async Task DeliverMessagesAsync(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await DeliverAsync(Message(i));
        }
    }

    /// <summary>
    /// Delivers <see cref="Message"/> <paramref name="i"/> into charlie's Maildir as another delivery agent does (the
    /// Maildir convention: write in tmp/, rename into new/), behind the store's back; returns the Maildir's path.
    /// </summary>
    public async Task<string> DeliverAsAnotherProgramAsync(int i)
    {
        string maildir = Maildirs.GetMaildirPath(Charlie);
        string name = $"1733400000.M{i}P1.otherprogram";
        await File.WriteAllTextAsync(Path.Combine(maildir, "tmp", name), Message(i).ReplaceLineEndings("\r\n"), TestContext.Current.CancellationToken);
        File.Move(Path.Combine(maildir, "tmp", name), Path.Combine(maildir, "new", name));
        return maildir;
    }

    public static string Message(int i, string body = "Hello.") =>
        $"From: Sender <sender@example.net>\nTo: {Charlie}\nSubject: Test {i}\nMessage-ID: <{i}@example.net>\nDate: Mon, 7 Feb 1994 21:52:25 -0800\n\n{body}\n";

    /// <summary>Waits (bounded) until <paramref name="disconnects"/> disconnect lines were logged, then returns the imap lines.</summary>
    public async Task<IReadOnlyList<string>> LinesAfterDisconnectAsync(int disconnects = 1)
    {
        for (int i = 0; i < 3000; i++)
        {
            IReadOnlyList<string> lines = Logs.Lines(MaillogCategories.Imap);
            if (lines.Count(l => l.Contains("Disconnected", StringComparison.Ordinal) || l.Contains("Aborted login", StringComparison.Ordinal)) >= disconnects)
            {
                return lines;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return Logs.Lines(MaillogCategories.Imap);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        (Mailboxes as IDisposable)?.Dispose();
        _root.Delete(recursive: true);
    }
}

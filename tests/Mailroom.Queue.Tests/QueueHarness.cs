using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Tests;

/// <summary>A queue and a Maildir store in a temporary directory, with captured logs.</summary>
internal sealed class QueueHarness : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-queue-");

    public QueueHarness(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        QueueDirectory = Path.Combine(_root.FullName, "queue");
        MailRoot = Path.Combine(_root.FullName, "mail");
        Store = new MaildirStore(Options.Create(new StoreOptions { MailRoot = MailRoot }), Time, new Logger<MaildirStore>(Logs));
    }

    public TimeProvider Time { get; }

    public string QueueDirectory { get; }

    public string MailRoot { get; }

    public MaildirStore Store { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>A queue manager on the harness's store; a directory with quotas gets the store's quota on top of it.</summary>
    public QueueManager CreateManager(IMailboxStore? store = null, IRemoteDeliveryAgent? remote = null, IMailDirectory? directory = null,
        bool directLocalDelivery = true, int directMemoryLimit = 128 * 1024)
    {
        store ??= Store;
        MailboxQuota? quota = directory is IMailboxQuotaLimits limits ? new MailboxQuota(store, Time, limits) : null;
        var options = new QueueOptions { QueueDirectory = QueueDirectory, DeliveryConcurrency = 4, DirectLocalDelivery = directLocalDelivery, DirectMemoryLimit = directMemoryLimit };
        return new(Options.Create(options), store, Time, Logs, directory, remote, quota);
    }

    public Envelope Envelope(params EnvelopeRecipient[] recipients) => new()
    {
        Sender = "sender@example.org",
        Recipients = recipients,
        ArrivalTime = Time.GetUtcNow(),
        ClientAddress = "127.0.0.1",
    };

    public static EnvelopeRecipient Local(string address, string? original = null) =>
        new() { Address = address, OriginalAddress = original ?? address, Route = RecipientRoute.Local };

    public static EnvelopeRecipient Remote(string address) =>
        new() { Address = address, OriginalAddress = address, Route = RecipientRoute.Remote };

    public static async Task<string> SubmitAsync(SpoolQueue queue, Envelope envelope, byte[] content)
    {
        IMessageSubmission submission = await queue.BeginAsync(envelope, TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(content, TestContext.Current.CancellationToken);
            await submission.CommitAsync(TestContext.Current.CancellationToken);
            return submission.QueueId;
        }
    }

    public string[] Mailbox(string mailbox)
    {
        int at = mailbox.IndexOf('@', StringComparison.Ordinal);
        string dir = Path.Combine(MailRoot, mailbox[(at + 1)..], mailbox[..at], "new");
        return System.IO.Directory.Exists(dir) ? System.IO.Directory.GetFiles(dir) : [];
    }

    public string[] QueueFiles(string subdirectory) => System.IO.Directory.GetFiles(Path.Combine(QueueDirectory, subdirectory));

    /// <summary>
    /// Waits (bounded: 10 s) until the retry timer of a deferred message exists (its diagnostic says so); only then
    /// does advancing the fake clock reach the retry. The <c>retry</c> line of <c>defer/ID</c> is written just before
    /// the timer is created, so waiting for the file alone let a test advance the clock into that gap under load.
    /// </summary>
    public Task WaitForRetryScheduledAsync(string id) =>
        WaitForLogAsync(typeof(QueueManager).FullName!, $"Retry of {id} scheduled in ");

    /// <summary>Waits (bounded: 10 s) until a mail-log line of the category contains the text.</summary>
    public async Task WaitForLogAsync(string category, string text)
    {
        for (int i = 0; i < 3000; i++)
        {
            if (Logs.Messages(category).Any(m => m.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"no {category} log line containing '{text}'; got:\n{string.Join('\n', Logs.Lines.Select(l => l.Category + ": " + l.Message))}");
    }

    public void Dispose()
    {
        Store.Dispose();
        _root.Delete(recursive: true);
    }
}

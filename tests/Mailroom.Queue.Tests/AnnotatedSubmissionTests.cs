using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>What the checks at end of DATA learn is queued with the message: header fields in front, the verdict in the envelope.</summary>
public sealed class AnnotatedSubmissionTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private const string Prefix = "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a@b.test\r\n";
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static async Task<string> SubmitAnnotatedAsync(SpoolQueue queue, Envelope envelope, MessageAnnotation annotation)
    {
        IMessageSubmission submission = await queue.BeginAsync(envelope, TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            await using (Stream written = submission.OpenWrittenContent())
            {
                var read = new MemoryStream();
                await written.CopyToAsync(read, TestContext.Current.CancellationToken);
                Assert.Equal(Content, read.ToArray());
            }

            submission.Annotate(annotation);
            await submission.CommitAsync(TestContext.Current.CancellationToken);
            return submission.QueueId;
        }
    }

    [Fact]
    public async Task AnnotationPutsTheHeaderInFrontAndTheVerdictInTheEnvelope()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);

        await SubmitAnnotatedAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), new MessageAnnotation(Prefix, "spf=pass", Quarantine: true));

        Assert.Empty(_harness.QueueFiles("incoming"));
        var (stored, offset, size) = QueueFile.ReadHeader(Assert.Single(_harness.QueueFiles("active")));
        Assert.Equal(("spf=pass", true), (stored.Authentication, stored.Quarantine));
        byte[] file = await File.ReadAllBytesAsync(Assert.Single(_harness.QueueFiles("active")), TestContext.Current.CancellationToken);
        Assert.Equal([.. System.Text.Encoding.ASCII.GetBytes(Prefix), .. Content], file[(int)offset..]);
        Assert.Equal(Prefix.Length + Content.Length, size);
    }

    [Fact]
    public async Task ASpamMarkIsKeptInTheEnvelopeApartFromTheQuarantine()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);

        await SubmitAnnotatedAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), new MessageAnnotation(Prefix, null, Quarantine: false) { Spam = true });

        var (stored, _, _) = QueueFile.ReadHeader(Assert.Single(_harness.QueueFiles("active")));
        Assert.Equal((true, false), (stored.Spam, stored.Quarantine));
    }

    [Fact]
    public async Task ContentLargerThanTheCopyBufferMovesIntactBehindThePrefix()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        byte[] large = new byte[(3 * SpoolSubmission.BufferSize) + 123];
        new Random(7).NextBytes(large);
        IMessageSubmission submission = await queue.BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(large, TestContext.Current.CancellationToken);
            submission.Annotate(new MessageAnnotation(Prefix, "spf=none", Quarantine: false));
            await submission.CommitAsync(TestContext.Current.CancellationToken);
        }

        string path = Assert.Single(_harness.QueueFiles("active"));
        var (_, offset, size) = QueueFile.ReadHeader(path);
        byte[] file = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(Prefix.Length + large.Length, size);
        Assert.Equal([.. System.Text.Encoding.ASCII.GetBytes(Prefix), .. large], file[(int)offset..]);
    }

    [Fact]
    public async Task QuarantinedMessageIsDeliveredToJunkAndOthersToTheInbox()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        var queue = new SpoolQueue(manager);

        string junk = await SubmitAnnotatedAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), new MessageAnnotation(Prefix, "dmarc=fail", Quarantine: true));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{junk}: removed");
        string inbox = await SubmitAnnotatedAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), new MessageAnnotation(Prefix, "dmarc=pass", Quarantine: false));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{inbox}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        string maildir = Path.Combine(_harness.MailRoot, "example.org", "bob");
        // Saved into the folder (not delivered to new/): it has its UID at once, so cur/ holds it, unread.
        string inJunk = Assert.Single(System.IO.Directory.GetFiles(Path.Combine(maildir, ".Junk", "cur")));
        Assert.DoesNotContain(":2,S", inJunk, StringComparison.Ordinal);
        Assert.Single(_harness.Mailbox("bob@example.org"));
        string text = await File.ReadAllTextAsync(inJunk, TestContext.Current.CancellationToken);
        Assert.Contains("Delivered-To: bob@example.org\r\n" + Prefix + "Subject: test", text, StringComparison.Ordinal);
    }
}

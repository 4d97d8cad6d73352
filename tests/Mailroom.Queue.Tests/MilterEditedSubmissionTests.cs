using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>What the milters change at end of DATA: the content rewritten in the spool, the envelope replaced, a quarantine held.</summary>
public sealed class MilterEditedSubmissionTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ReplacedContentIsWhatIsQueuedAndTheOldContentIsReadableUntilThen()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        byte[] large = new byte[(2 * SpoolSubmission.BufferSize) + 17];
        new Random(3).NextBytes(large);
        IMessageSubmission submission = await queue.BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(large, TestContext.Current.CancellationToken);
            await MilterEdit.PrependFieldAsync(submission, "X-Milter: yes\r\n"u8.ToArray());
            await submission.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(_harness.QueueFiles("incoming"));
        string path = Assert.Single(_harness.QueueFiles("active"));
        var (_, offset, size) = QueueFile.ReadHeader(path);
        byte[] file = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal([.. "X-Milter: yes\r\n"u8.ToArray(), .. large], file[(int)offset..]);
        Assert.Equal(15 + large.Length, size);
    }

    [Fact]
    public async Task AFailedReplacementLeavesNoFileBehindOnceAborted()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        IMessageSubmission submission = await queue.BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            await Assert.ThrowsAsync<IOException>(async () => await submission.ReplaceContentAsync((_, _) => throw new IOException("disk full"), TestContext.Current.CancellationToken));
        }

        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
    }

    [Fact]
    public async Task AReplacedEnvelopeIsQueuedAndAHeldMessageWaitsInHold()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        Envelope original = _harness.Envelope(QueueHarness.Local("bob@example.org"));
        Envelope changed = original with { Sender = "bounces@example.net", Recipients = [QueueHarness.Local("carol@example.org")] };
        IMessageSubmission submission = await queue.BeginAsync(original, TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            submission.Annotate(new MessageAnnotation("", null, Quarantine: false) { Envelope = changed, HoldReason = "looks odd" });
            await submission.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(_harness.QueueFiles("active"));
        var (stored, offset, _) = QueueFile.ReadHeader(Assert.Single(_harness.QueueFiles("hold")));
        Assert.Equal("bounces@example.net", stored.Sender);
        Assert.Equal(["carol@example.org"], stored.Recipients.Select(r => r.Address));
        Assert.Equal("looks odd", stored.HoldReason);
        byte[] file = await File.ReadAllBytesAsync(Assert.Single(_harness.QueueFiles("hold")), TestContext.Current.CancellationToken);
        Assert.Equal(Content, file[(int)offset..]);
    }

    [Fact]
    public async Task AQuarantinedMessageIsListedOnHoldWithTheMiltersReasonUntilReleased()
    {
        string id;
        using (QueueManager manager = _harness.CreateManager())
        {
            IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
            id = submission.QueueId;
            await using (submission)
            {
                await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
                submission.Annotate(new MessageAnnotation("", null, Quarantine: false) { HoldReason = "Gtube pattern" });
                await submission.CommitAsync(TestContext.Current.CancellationToken);
            }
        }

        var admin = new Admin.QueueAdmin(_harness.QueueDirectory);
        Admin.QueuedMessageInfo held = Assert.Single(await admin.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal((id, "hold", "Gtube pattern"), (held.Id, held.State, held.HoldReason));

        await admin.ReleaseAsync(id, TestContext.Current.CancellationToken);
        Admin.QueuedMessageInfo released = Assert.Single(await admin.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("deferred", null), (released.State, released.HoldReason));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASpamMarkIsListedWithTheQueuedMessage(bool spam)
    {
        using (QueueManager manager = _harness.CreateManager())
        {
            IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
            await using (submission)
            {
                await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
                submission.Annotate(new MessageAnnotation("", null, Quarantine: false) { Spam = spam });
                await submission.CommitAsync(TestContext.Current.CancellationToken);
            }
        }

        Admin.QueuedMessageInfo listed = Assert.Single(await new Admin.QueueAdmin(_harness.QueueDirectory).ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(spam, listed.Spam);
    }
}

using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>
/// Direct local delivery of a message held in memory (up to <see cref="QueueOptions.DirectMemoryLimit"/>): no spool file
/// unless one is needed, the same delivered bytes as from a spool file, and the queue's path whenever direct delivery
/// does not apply.
/// </summary>
public sealed class InMemoryDirectDeliveryTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private const string Prefix = "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a@b.test\r\n";
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, true)]
    public async Task AMessageUpToTheMemoryLimitCreatesNoSpoolFileAndOneByteMoreDoes(int limitBeyondContent, bool spooled)
    {
        using var gated = new GatedStore(_harness.Store);
        using QueueManager manager = _harness.CreateManager(gated, directMemoryLimit: Content.Length + limitBeyondContent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(_harness.Envelope(QueueHarness.Local("a@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            Task commit = Task.Run(() => submission.CommitAsync(TestContext.Current.CancellationToken).AsTask(), TestContext.Current.CancellationToken);
            await gated.Entered.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal(spooled, _harness.QueueFiles("incoming").Length == 1);
            gated.Open();
            await commit;
        }

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
        Assert.Empty(_harness.QueueFiles("deferred"));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheCopyDeliveredFromMemoryIsByteForByteTheCopyDeliveredFromASpoolFile()
    {
        var annotation = new MessageAnnotation(Prefix, "spf=pass", Quarantine: false);
        using (QueueManager inMemory = _harness.CreateManager())
        {
            await inMemory.StartAsync(TestContext.Current.CancellationToken);
            await SubmitAsync(inMemory, _harness.Envelope(QueueHarness.Local("a@example.org", "alias@example.org")), annotation);
            await inMemory.StopAsync(TestContext.Current.CancellationToken);
        }

        using (QueueManager spooled = _harness.CreateManager(directMemoryLimit: 0))
        {
            await spooled.StartAsync(TestContext.Current.CancellationToken);
            await SubmitAsync(spooled, _harness.Envelope(QueueHarness.Local("a@example.org", "alias@example.org")), annotation);
            await spooled.StopAsync(TestContext.Current.CancellationToken);
        }

        string[] copies = _harness.Mailbox("a@example.org");
        Assert.Equal(2, copies.Length);
        byte[] first = await File.ReadAllBytesAsync(copies[0], TestContext.Current.CancellationToken);
        Assert.Equal(first, await File.ReadAllBytesAsync(copies[1], TestContext.Current.CancellationToken));
        Assert.Equal(
            "Return-Path: <sender@example.org>\r\nX-Original-To: alias@example.org\r\nDelivered-To: a@example.org\r\n" + Prefix + "Subject: test\r\n\r\nbody\r\n",
            System.Text.Encoding.UTF8.GetString(first));
    }

    [Fact]
    public async Task EveryRecipientGetsItsOwnCopyWithItsOwnDeliveryHeaders()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), Content);

        string a = await File.ReadAllTextAsync(Assert.Single(_harness.Mailbox("a@example.org")), TestContext.Current.CancellationToken);
        string b = await File.ReadAllTextAsync(Assert.Single(_harness.Mailbox("b@example.org")), TestContext.Current.CancellationToken);
        Assert.Contains("\r\nDelivered-To: a@example.org\r\nSubject: test\r\n", a, StringComparison.Ordinal);
        Assert.Contains("\r\nDelivered-To: b@example.org\r\nSubject: test\r\n", b, StringComparison.Ordinal);
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AHoldFromTheChecksPutsTheMessageInHoldWithItsHeaderInFront()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        await SubmitAsync(manager, _harness.Envelope(QueueHarness.Local("a@example.org")), new MessageAnnotation(Prefix, null, Quarantine: false) { HoldReason = "Gtube pattern" });

        string held = Assert.Single(_harness.QueueFiles("hold"));
        var (stored, offset, _) = QueueFile.ReadHeader(held);
        Assert.Equal("Gtube pattern", stored.HoldReason);
        byte[] file = await File.ReadAllBytesAsync(held, TestContext.Current.CancellationToken);
        Assert.Equal([.. System.Text.Encoding.ASCII.GetBytes(Prefix), .. Content], file[(int)offset..]);
        Assert.Empty(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AMilterThatAddsARemoteRecipientSendsTheMessageThroughTheQueue()
    {
        using var gated = new GatedStore(_harness.Store);
        var remote = new RecordingRemoteAgent();
        using QueueManager manager = _harness.CreateManager(gated, remote);
        await manager.StartAsync(TestContext.Current.CancellationToken);
        Envelope original = _harness.Envelope(QueueHarness.Local("a@example.org"));
        Envelope changed = original with { Recipients = [QueueHarness.Local("a@example.org"), QueueHarness.Remote("far@remote.example")] };

        string id = await SubmitAsync(manager, original, new MessageAnnotation("", null, Quarantine: false) { Envelope = changed });

        // The commit returned before any delivery: the message was queued, not delivered directly.
        Assert.Empty(_harness.Mailbox("a@example.org"));
        gated.Open();
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);
        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Equal(Content, Assert.Single(remote.Calls).Content);
    }

    [Fact]
    public async Task AMilterReplacingTheContentOfAMessageInMemoryGetsTheReplacementDelivered()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(_harness.Envelope(QueueHarness.Local("a@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            await MilterEdit.PrependFieldAsync(submission, "X-Milter: yes\r\n"u8.ToArray());
            await submission.CommitAsync(TestContext.Current.CancellationToken);
        }

        string copy = await File.ReadAllTextAsync(Assert.Single(_harness.Mailbox("a@example.org")), TestContext.Current.CancellationToken);
        Assert.EndsWith("\r\nDelivered-To: a@example.org\r\nX-Milter: yes\r\nSubject: test\r\n\r\nbody\r\n", copy, StringComparison.Ordinal);
        Assert.Empty(_harness.QueueFiles("incoming"));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AFailedMailboxWriteThatCannotBeDeferredEitherFailsTheCommitAndLeavesNothingQueued()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("a@example.org", 1);
        using QueueManager manager = _harness.CreateManager(flaky);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        // The deferral cannot be written either: deferred/ is a file now.
        string deferred = Path.Combine(_harness.QueueDirectory, "deferred");
        System.IO.Directory.Delete(deferred, recursive: true);
        await File.WriteAllTextAsync(deferred, "", TestContext.Current.CancellationToken);
        IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(_harness.Envelope(QueueHarness.Local("a@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);

            // What the SMTP session answers 451 to: nothing was acknowledged.
            await Assert.ThrowsAnyAsync<IOException>(async () => await submission.CommitAsync(TestContext.Current.CancellationToken));
        }

        Assert.Empty(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> SubmitAsync(QueueManager manager, Envelope envelope, MessageAnnotation annotation)
    {
        IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(envelope, TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            submission.Annotate(annotation);
            await submission.CommitAsync(TestContext.Current.CancellationToken);
            return submission.QueueId;
        }
    }
}

using System.Text;
using Mailroom.Core;

namespace Mailroom.Queue.Tests;

public sealed class SpoolQueueTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task CommittedMessageIsInActiveWithItsEnvelopeAndContent()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        Envelope envelope = _harness.Envelope(QueueHarness.Local("bob@example.org"));

        string id = await QueueHarness.SubmitAsync(queue, envelope, Content);

        Assert.True(QueueId.IsValid(id));
        Assert.Empty(_harness.QueueFiles("incoming"));
        string path = Assert.Single(_harness.QueueFiles("active"));
        Assert.Equal(id, Path.GetFileName(path));
        var (stored, offset, size) = QueueFile.ReadHeader(path);
        Assert.Equal(envelope.Sender, stored.Sender);
        Assert.Equal("bob@example.org", Assert.Single(stored.Recipients).Address);
        Assert.Equal(Content.Length, size);
        byte[] file = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(Content, file[(int)offset..]);
    }

    [Fact]
    public async Task CommittedMessageIsDeliveredByteExactWithDeliveryHeaders()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        var queue = new SpoolQueue(manager);

        string id = await QueueHarness.SubmitAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org", "info@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        string delivered = Assert.Single(_harness.Mailbox("bob@example.org"));
        byte[] expected = [.. "Return-Path: <sender@example.org>\r\nX-Original-To: info@example.org\r\nDelivered-To: bob@example.org\r\n"u8, .. Content];
        byte[] actual = await File.ReadAllBytesAsync(delivered, TestContext.Current.CancellationToken);
        Assert.Equal(expected, actual);
        Assert.Empty(_harness.QueueFiles("active"));
        Assert.Empty(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task DisposingWithoutCommitLeavesNothing()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);

        IMessageSubmission submission = await queue.BeginAsync(_harness.Envelope(QueueHarness.Local("bob@example.org")), TestContext.Current.CancellationToken);
        await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
        Assert.Single(_harness.QueueFiles("incoming"));
        await submission.DisposeAsync();

        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
    }

    [Fact]
    public async Task ContentLargerThanTheBufferIsStreamedToTheSpool()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        byte[] big = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n", 5000)));

        await QueueHarness.SubmitAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), big);

        var (_, offset, size) = QueueFile.ReadHeader(Assert.Single(_harness.QueueFiles("active")));
        Assert.Equal(big.Length, size);
        Assert.True(offset > 0);
    }

    [Fact]
    public async Task ConcurrentCommitsAreAllDurableUnderDistinctIds()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);

        var submissions = new Task<string>[100];
        for (int i = 0; i < submissions.Length; i++)
        {
            submissions[i] = Task.Run(() => QueueHarness.SubmitAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), Content));
        }

        string[] ids = await Task.WhenAll(submissions);

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        string[] files = _harness.QueueFiles("active").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(ids.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        Assert.Empty(_harness.QueueFiles("incoming"));
    }

    [Fact]
    public async Task AnEnvelopeWithoutRecipientsIsRefused()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);

        await Assert.ThrowsAsync<ArgumentException>(() => queue.BeginAsync(_harness.Envelope(), TestContext.Current.CancellationToken).AsTask());
    }
}

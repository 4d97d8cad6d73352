using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Queue.Delivery;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Tests;

/// <summary>Local delivery carrying out a filter's decision through the store's save transactions and the queue.</summary>
public sealed class FilteredDeliveryTests : IDisposable
{
    private const string User = "samt@example.org";
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("Subject: hello\r\nMessage-ID: <m1@example.com>\r\n\r\nHi.\r\n");

    private readonly QueueHarness _harness = new();
    private readonly FlakyStore _store;
    private readonly RecordingSubmitter _submitter = new();

    public FilteredDeliveryTests()
    {
        _store = new FlakyStore(_harness.Store);
    }

    public void Dispose() => _harness.Dispose();

    private string Maildir => _harness.Store.GetMaildirPath(User);

    private async Task<RecipientOutcome> DeliverAsync(IDeliveryFilter? filter, EnvelopeRecipient? recipient = null, LocalDeliveryOptions? options = null,
        bool quarantine = false)
    {
        var agent = new LocalDeliveryAgent(_store, null, null, TimeProvider.System, options, filter, _submitter);
        recipient ??= QueueHarness.Local(User);
        using var content = new MemoryStream(Content);
        Envelope envelope = _harness.Envelope(recipient) with { Quarantine = quarantine };
        return await agent.DeliverAsync("Q1", envelope, recipient, content, () => new MemoryStream(Content), TestContext.Current.CancellationToken);
    }

    private string[] Files(string folder, string sub) =>
        System.IO.Directory.Exists(Path.Combine(Maildir, folder, sub)) ? System.IO.Directory.GetFiles(Path.Combine(Maildir, folder, sub)) : [];

    [Fact]
    public async Task StoreIntoAFolderPutsTheMessageThereWithItsFlagsAndDeliveryHeaders()
    {
        var filter = new FakeFilter(new StoreAction("News", true, ["\\Seen", "\\Flagged", "$Work"]));

        RecipientOutcome outcome = await DeliverAsync(filter);

        string file = Assert.Single(Files(".News", "cur"));
        Assert.EndsWith(":2,FS", file, StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <sender@example.org>\r\n", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal((DeliveryStatus.Sent, "sieve: delivered to folder 'News'"), (outcome.Status, outcome.Text));
        Assert.Equal(1, filter.Commits);
    }

    [Fact]
    public async Task StoreIntoAMissingFolderWithoutCreateGoesToInbox()
    {
        RecipientOutcome outcome = await DeliverAsync(new FakeFilter(new StoreAction("Nowhere", false, [])));

        Assert.False(System.IO.Directory.Exists(Path.Combine(Maildir, ".Nowhere")));
        Assert.Single(Files("", "new"));
        Assert.Equal("sieve: delivered to mailbox", outcome.Text);
    }

    [Fact]
    public async Task RedirectIsQueuedFromTheOriginalSenderWithTheFiltersHeadersInFront()
    {
        var filter = new FakeFilter(new RedirectAction("boss@example.net", "X-Sieve-Redirected-From: samt@example.org\r\n"));

        RecipientOutcome outcome = await DeliverAsync(filter);

        (Envelope envelope, byte[] content) = Assert.Single(_submitter.Committed);
        Assert.Equal("sender@example.org", envelope.Sender);
        Assert.Equal("boss@example.net", Assert.Single(envelope.Recipients).Address);
        Assert.Equal("X-Sieve-Redirected-From: samt@example.org\r\n" + Encoding.ASCII.GetString(Content), Encoding.ASCII.GetString(content));
        Assert.Empty(Files("", "new"));
        Assert.Equal("sieve: forwarded to <boss@example.net>", outcome.Text);
    }

    [Fact]
    public async Task ReplyIsQueuedFromTheNullSenderBesideTheStoredMessage()
    {
        byte[] reply = Encoding.ASCII.GetBytes("Subject: Auto: hello\r\n\r\nAway.\r\n");
        var filter = new FakeFilter(new ReplyAction("friend@example.com", reply), new StoreAction("INBOX", false, []));

        RecipientOutcome outcome = await DeliverAsync(filter);

        (Envelope envelope, byte[] content) = Assert.Single(_submitter.Committed);
        Assert.Equal("", envelope.Sender);
        Assert.Equal(DsnNotify.Never, Assert.Single(envelope.Recipients).Notify);
        Assert.Equal(reply, content);
        Assert.Single(Files("", "new"));
        Assert.Equal("sieve: delivered to mailbox; vacation reply sent to <friend@example.com>", outcome.Text);
    }

    [Fact]
    public async Task RejectBouncesWithItsReasonAndStoresNothing()
    {
        var filter = new FakeFilter(new RejectAction("Not\r\nwanted.", false));

        RecipientOutcome outcome = await DeliverAsync(filter);

        Assert.Equal((DeliveryStatus.Bounced, "5.7.1", "rejected by sieve: Not  wanted."), (outcome.Status, outcome.Dsn, outcome.Text));
        Assert.Empty(Files("", "new"));
        Assert.Equal(0, filter.Commits);
    }

    [Fact]
    public async Task DiscardStoresNothingButCountsAsDelivered()
    {
        RecipientOutcome outcome = await DeliverAsync(new FakeFilter(new DiscardAction()));

        Assert.Equal((DeliveryStatus.Sent, "sieve: discarded"), (outcome.Status, outcome.Text));
        Assert.Empty(Files("", "new"));
    }

    [Fact]
    public async Task QueueFailureDefersAndNothingIsCommitted()
    {
        _submitter.Fail = true;
        var filter = new FakeFilter(new RedirectAction("boss@example.net", ""));

        RecipientOutcome outcome = await DeliverAsync(filter);

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal(0, filter.Commits);
    }

    [Fact]
    public async Task DetailNamesTheDefaultFolderWhenItExistsAndTheOptionIsOn()
    {
        Assert.Equal(FolderResult.Ok, _harness.Store.CreateFolder(User, "Lists"));
        EnvelopeRecipient plus = QueueHarness.Local(User, "samt+lists@example.org") with { Detail = "Lists" };
        var options = new LocalDeliveryOptions { SaveToDetailFolder = true };
        var filter = new FakeFilter(new StoreAction("Lists", false, []));

        await DeliverAsync(filter, plus, options);
        RecipientOutcome unfiltered = await DeliverAsync(null, plus, options);
        RecipientOutcome missing = await DeliverAsync(null, plus with { Detail = "Nope" }, options);

        Assert.Equal("Lists", Assert.Single(filter.Requests).DefaultFolder);
        Assert.Equal(2, Files(".Lists", "cur").Length);
        Assert.Equal("delivered to mailbox", missing.Text);
        Assert.Equal("delivered to folder 'Lists'", unfiltered.Text);
    }

    [Fact]
    public async Task SeveralStoresEachLandOnceWithTheirOwnFlags()
    {
        var filter = new FakeFilter(
            new StoreAction("News", true, ["\\Seen"]),
            new StoreAction("Work", true, ["\\Flagged"]),
            new StoreAction("News", false, ["\\Answered"]),
            new StoreAction("INBOX", false, []));

        RecipientOutcome outcome = await DeliverAsync(filter);

        Assert.Equal("sieve: delivered to folder 'News'; delivered to folder 'Work'; delivered to mailbox", outcome.Text);
        Assert.EndsWith(":2,RS", Assert.Single(Files(".News", "cur")), StringComparison.Ordinal);
        Assert.EndsWith(":2,F", Assert.Single(Files(".Work", "cur")), StringComparison.Ordinal);
        Assert.Single(Files("", "new"));
        Assert.Equal(1, filter.Commits);
    }

    [Fact]
    public async Task OneFailingStoreLeavesNoCopyAnywhereAndTheRetryDeliversEveryCopy()
    {
        var filter = new FakeFilter(new StoreAction("News", true, []), new RedirectAction("boss@example.net", ""), new StoreAction("INBOX", false, []));
        _store.FailNext(User, 1);

        RecipientOutcome failed = await DeliverAsync(filter);

        Assert.Equal(DeliveryStatus.Deferred, failed.Status);
        Assert.Empty(Files(".News", "cur"));
        Assert.Empty(Files(".News", "tmp"));
        Assert.Empty(Files("", "new"));
        Assert.Empty(_submitter.Committed);
        Assert.Equal(0, filter.Commits);

        RecipientOutcome retried = await DeliverAsync(filter);

        Assert.Equal(DeliveryStatus.Sent, retried.Status);
        Assert.Single(Files(".News", "cur"));
        Assert.Single(Files("", "new"));
        Assert.Single(_submitter.Committed);
        Assert.Equal(1, filter.Commits);
    }

    [Fact]
    public async Task KeywordsOnAKeepSaveIntoInboxWithThem()
    {
        RecipientOutcome outcome = await DeliverAsync(new FakeFilter(new StoreAction("INBOX", false, ["$Work", "\\Seen"])));

        Assert.Equal("sieve: delivered to mailbox", outcome.Text);
        using FolderLease inbox = _harness.Store.OpenFolder(User, "INBOX")!;
        MessageRecord message = Assert.Single(inbox.Folder.Current.Messages);
        Assert.Equal(MessageFlags.Seen, message.Flags);
        Assert.Equal(["$Work"], message.Keywords);
    }

    [Fact]
    public async Task CreateOfAFolderTheStoreCannotHaveKeepsTheMessageInInbox()
    {
        RecipientOutcome outcome = await DeliverAsync(new FakeFilter(new StoreAction("Lists//Empty", true, [])));

        Assert.Equal((DeliveryStatus.Sent, "sieve: delivered to mailbox"), (outcome.Status, outcome.Text));
        Assert.Single(Files("", "new"));
    }

    [Fact]
    public async Task QuarantinedMailGoesToJunkAndNoFilterRunsOnIt()
    {
        var filter = new FakeFilter(new StoreAction("News", true, []), new RedirectAction("boss@example.net", ""), new ReplyAction("sender@example.org", new byte[] { 0x41 }));

        RecipientOutcome outcome = await DeliverAsync(filter, quarantine: true);

        Assert.Equal(RecipientOutcome.Delivered, outcome);
        Assert.Empty(filter.Requests);
        Assert.Empty(_submitter.Committed);
        Assert.Single(Files(".Junk", "cur").Concat(Files(".Junk", "new")));
        Assert.Empty(Files(".News", "cur"));
    }

    [Fact]
    public async Task RedirectOfMailFromOutsideLeavesAsForwardedByTheMailboxSoItGetsSrsAndArc()
    {
        var filter = new FakeFilter(new RedirectAction("boss@example.net", ""));
        var agent = new LocalDeliveryAgent(_store, new OneDomainDirectory("example.org"), null, TimeProvider.System, null, filter, _submitter);
        EnvelopeRecipient recipient = QueueHarness.Local(User);
        Envelope checkedMail = _harness.Envelope(recipient) with { Authentication = "spf=pass dkim=none dmarc=none arc=none" };
        using var content = new MemoryStream(Content);

        await agent.DeliverAsync("Q1", checkedMail, recipient, content, () => new MemoryStream(Content), TestContext.Current.CancellationToken);

        (Envelope envelope, _) = Assert.Single(_submitter.Committed);
        EnvelopeRecipient forwarded = Assert.Single(envelope.Recipients);
        Assert.Equal(("boss@example.net", User, RecipientRoute.Remote), (forwarded.Address, forwarded.OriginalAddress, forwarded.Route));
        Assert.True(Mailroom.Policy.OutboundAuthenticator.IsForwarded(forwarded));
        Assert.Equal(checkedMail.Authentication, envelope.Authentication);
    }

    [Fact]
    public async Task VacationReplyIsTheServersOwnMailWithoutAuthenticationResults()
    {
        var filter = new FakeFilter(new ReplyAction("friend@example.com", Encoding.ASCII.GetBytes("From: samt@example.org\r\n\r\nAway.\r\n")));
        var agent = new LocalDeliveryAgent(_store, new OneDomainDirectory("example.org"), null, TimeProvider.System, null, filter, _submitter);
        EnvelopeRecipient recipient = QueueHarness.Local(User);
        Envelope checkedMail = _harness.Envelope(recipient) with { Authentication = "spf=pass dkim=none dmarc=none arc=none" };
        using var content = new MemoryStream(Content);

        await agent.DeliverAsync("Q1", checkedMail, recipient, content, () => new MemoryStream(Content), TestContext.Current.CancellationToken);

        (Envelope envelope, _) = Assert.Single(_submitter.Committed);
        Assert.Null(envelope.Authentication);
        Assert.False(Mailroom.Policy.OutboundAuthenticator.IsForwarded(Assert.Single(envelope.Recipients)));
    }
}

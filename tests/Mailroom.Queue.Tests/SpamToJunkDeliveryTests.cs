using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Queue.Delivery;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Tests;

/// <summary>
/// Where local delivery files mail a content filter marked as spam: the Junk folder, unfiltered, unless the recipient's
/// own switch (<c>mailbox.spam_to_junk</c>) or <c>Delivery:SpamToJunk</c> says INBOX; DMARC quarantine goes to Junk regardless.
/// </summary>
public sealed class SpamToJunkDeliveryTests : IDisposable
{
    private const string User = "samt@example.org";
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("Subject: cheap pills\r\nX-Spam: Yes\r\n\r\nBuy.\r\n");

    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private string Maildir => _harness.Store.GetMaildirPath(User);

    private async Task<RecipientOutcome> DeliverAsync(Func<Envelope, Envelope> mark, bool? userSwitch, FakeFilter? filter = null,
        LocalDeliveryOptions? options = null, SwitchDirectory? directory = null)
    {
        directory ??= new SwitchDirectory(userSwitch);
        var agent = new LocalDeliveryAgent(_harness.Store, directory, null, TimeProvider.System, options, filter);
        EnvelopeRecipient recipient = QueueHarness.Local(User);
        using var content = new MemoryStream(Content);
        Envelope envelope = mark(_harness.Envelope(recipient));
        return await agent.DeliverAsync("Q1", envelope, recipient, content, () => new MemoryStream(Content), TestContext.Current.CancellationToken);
    }

    private int Count(string folder) =>
        new[] { "cur", "new" }.Sum(sub => System.IO.Directory.Exists(Path.Combine(Maildir, folder, sub)) ? System.IO.Directory.GetFiles(Path.Combine(Maildir, folder, sub)).Length : 0);

    [Fact]
    public async Task SpamGoesToJunkByDefaultWithoutRunningTheFilter()
    {
        var filter = new FakeFilter(new StoreAction("News", true, []));

        RecipientOutcome outcome = await DeliverAsync(e => e with { Spam = true }, userSwitch: null, filter);

        Assert.Equal(RecipientOutcome.Delivered, outcome);
        Assert.Equal(1, Count(".Junk"));
        Assert.Empty(filter.Requests);
    }

    [Fact]
    public async Task AUserWithTheSwitchOffGetsSpamInInboxThroughTheirFilter()
    {
        var filter = new FakeFilter(new StoreAction("INBOX", false, []));

        RecipientOutcome outcome = await DeliverAsync(e => e with { Spam = true }, userSwitch: false, filter);

        Assert.Equal(DeliveryStatus.Sent, outcome.Status);
        Assert.Single(filter.Requests);
        Assert.Equal(0, Count(".Junk"));
        Assert.Equal(1, Count(""));
    }

    [Fact]
    public async Task AUserWithTheSwitchOnGetsSpamInJunkWhenTheGlobalDefaultIsOff()
    {
        await DeliverAsync(e => e with { Spam = true }, userSwitch: true, options: new LocalDeliveryOptions { SpamToJunk = false });

        Assert.Equal(1, Count(".Junk"));
        Assert.Equal(0, Count(""));
    }

    [Fact]
    public async Task TheGlobalDefaultOffPutsSpamInInboxForUsersWithoutTheirOwnSetting()
    {
        await DeliverAsync(e => e with { Spam = true }, userSwitch: null, options: new LocalDeliveryOptions { SpamToJunk = false });

        Assert.Equal(0, Count(".Junk"));
        Assert.Equal(1, Count(""));
    }

    [Fact]
    public async Task DmarcQuarantineGoesToJunkEvenForAUserWithTheSwitchOff()
    {
        var directory = new SwitchDirectory(false);

        await DeliverAsync(e => e with { Quarantine = true, Spam = true }, userSwitch: false, directory: directory);

        Assert.Equal(1, Count(".Junk"));
        Assert.Equal(0, directory.Lookups);
    }

    [Fact]
    public async Task MailNotMarkedAsSpamCostsNoLookupOfTheSwitch()
    {
        var directory = new SwitchDirectory(true);

        await DeliverAsync(e => e, userSwitch: true, directory: directory);

        Assert.Equal(1, Count(""));
        Assert.Equal(0, directory.Lookups);
    }

    [Fact]
    public async Task ADirectoryThatCannotAnswerTheSwitchDefersTheRecipient()
    {
        var directory = new SwitchDirectory(null) { Unavailable = true };

        RecipientOutcome outcome = await DeliverAsync(e => e with { Spam = true }, userSwitch: null, directory: directory);

        Assert.Equal((DeliveryStatus.Deferred, "4.3.0"), (outcome.Status, outcome.Dsn));
        Assert.Equal(0, Count(".Junk") + Count(""));
    }

    /// <summary>A one-domain directory that also answers each user's spam-to-Junk switch, counting the lookups.</summary>
    internal sealed class SwitchDirectory(bool? toJunk) : IMailDirectory, ISpamToJunkSource
    {
        private readonly OneDomainDirectory _inner = new("example.org");

        public int Lookups { get; private set; }

        public bool Unavailable { get; init; }

        public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => _inner.IsLocalDomainAsync(domain, cancellationToken);

        public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) => _inner.ResolveRecipientAsync(address, cancellationToken);

        public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) =>
            _inner.AuthenticateAsync(userName, password, cancellationToken);

        public ValueTask<bool?> GetSpamToJunkAsync(string user, CancellationToken cancellationToken)
        {
            Lookups++;
            return Unavailable ? throw new DirectoryUnavailableException("database down") : ValueTask.FromResult(toJunk);
        }
    }
}

using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Sieve.Delivery;
using Mailroom.Sieve.Tests.Support;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Sieve.Tests.Delivery;

/// <summary>The delivery filter: the user's and the site's scripts turned into the plain actions delivery carries out.</summary>
public sealed class SieveDeliveryFilterTests : IDisposable
{
    private const string User = "samt@example.org";

    private const string Message = """
        From: Friend <friend@example.com>
        To: samt@example.org
        Subject: hello
        Message-ID: <m1@example.com>
        References: <m0@example.com>

        Hi.

        """;

    private readonly TemporaryMailRoot _root;
    private readonly LogCapture _logs = new();

    public SieveDeliveryFilterTests()
    {
        _root = new TemporaryMailRoot();
    }

    public void Dispose() => _root.Dispose();

    private SieveDeliveryFilter Filter(SieveOptions? options = null) =>
        new(Options.Create(options ?? _root.Options), _root.Scripts, _root.Tracking, TimeProvider.System, _logs, "mail.example.org", "+");

    private void Activate(string script)
    {
        _root.Scripts.Write(User, "main", Encoding.UTF8.GetBytes(script));
        _root.Scripts.Activate(User, "main");
    }

    private static FilterRequest Request(string message = Message, FilterPhase phase = FilterPhase.Delivery, string defaultFolder = "INBOX", string sender = "friend@example.com")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n"));
        return new FilterRequest
        {
            QueueId = "ABC123",
            Envelope = new Envelope
            {
                Sender = sender,
                Recipients = [],
                ArrivalTime = DateTimeOffset.UnixEpoch,
            },
            Recipient = new EnvelopeRecipient { Address = User, OriginalAddress = "samt+lists@example.org", Detail = "lists", Route = RecipientRoute.Local },
            OpenMessage = () => new MemoryStream(bytes, writable: false),
            Phase = phase,
            DefaultFolder = defaultFolder,
            FolderExists = f => f == "Lists",
        };
    }

    private static async Task<FilterDecision> DecideAsync(SieveDeliveryFilter filter, FilterRequest request) =>
        await filter.DecideAsync(request, TestContext.Current.CancellationToken);

    [Fact]
    public async Task UserWithoutScriptIsNotFiltered()
    {
        FilterDecision decision = await DecideAsync(Filter(), Request());

        Assert.False(decision.Filtered);
        Assert.Equal([new StoreAction("INBOX", false, [])], decision.Actions);
    }

    [Fact]
    public async Task ScriptFilesIntoAFolderWithFlags()
    {
        Activate("require [\"fileinto\", \"imap4flags\", \"mailbox\"]; fileinto :create :flags \"\\\\Flagged\" \"News\";");

        FilterDecision decision = await DecideAsync(Filter(), Request());

        StoreAction store = Assert.IsType<StoreAction>(Assert.Single(decision.Actions));
        Assert.Equal(("News", true, "\\Flagged"), (store.Folder, store.Create, string.Join(' ', store.Flags)));
        Assert.Contains(_logs.Lines(MaillogCategories.Sieve), l => l == "ABC123: sieve: user=<samt@example.org>, msgid=<m1@example.com>: stored mail into mailbox 'News'");
    }

    [Fact]
    public async Task KeepGoesToTheDetailFolderWhenDeliveryNamesIt()
    {
        Activate("keep;");

        FilterDecision decision = await DecideAsync(Filter(), Request(defaultFolder: "Lists"));

        Assert.Equal("Lists", Assert.IsType<StoreAction>(Assert.Single(decision.Actions)).Folder);
    }

    [Fact]
    public async Task FailingScriptKeepsTheMessageAndSaysWhy()
    {
        Activate("require \"ihave\"; discard; error \"broken\";");

        FilterDecision decision = await DecideAsync(Filter(), Request());

        Assert.Equal([new StoreAction("INBOX", false, [])], decision.Actions);
        Assert.Contains("broken", decision.Failure, StringComparison.Ordinal);
        Assert.Contains(_logs.Lines(MaillogCategories.Sieve), l => l.Contains("execution failed, message kept in 'INBOX'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScriptThatNoLongerCompilesIsSkippedAndLogged()
    {
        _root.Scripts.Write(User, "main", Encoding.UTF8.GetBytes("require \"spamtest\"; discard;"));
        _root.Scripts.Activate(User, "main");

        FilterDecision decision = await DecideAsync(Filter(), Request());

        Assert.False(decision.Filtered);
        Assert.Contains(_logs.Lines(MaillogCategories.Sieve), l => l.Contains("does not compile, skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedirectCarriesLoopHeadersAndIsNotRepeatedForARedelivery()
    {
        Activate("redirect \"boss@example.net\";");
        SieveDeliveryFilter filter = Filter();

        FilterDecision first = await DecideAsync(filter, Request());
        await first.CommitAsync(TestContext.Current.CancellationToken);
        FilterDecision again = await DecideAsync(filter, Request());

        RedirectAction redirect = Assert.IsType<RedirectAction>(Assert.Single(first.Actions));
        Assert.Equal("boss@example.net", redirect.Address);
        Assert.Equal("X-Sieve: Mailroom Sieve\r\nX-Sieve-Redirected-From: samt@example.org\r\n", redirect.HeaderPrefix);
        Assert.Empty(again.Actions);
        Assert.Contains(_logs.Lines(MaillogCategories.Sieve), l => l.Contains("discarded duplicate forward to <boss@example.net>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageThatAlreadyPassedTheUsersRedirectIsNotRedirectedAgain()
    {
        Activate("redirect \"boss@example.net\";");

        FilterDecision decision = await DecideAsync(Filter(), Request("X-Sieve-Redirected-From: samt@example.org\r\n" + Message));

        Assert.DoesNotContain(decision.Actions, a => a is RedirectAction);
        Assert.Contains(_logs.Lines(MaillogCategories.Sieve), l => l.Contains("indicates a mail loop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VacationReplyIsAnAutoReplyThreadedToTheOriginalAndSentOncePerPeriod()
    {
        Activate("require \"vacation\"; vacation :days 2 \"I am away.\";");
        SieveDeliveryFilter filter = Filter();

        FilterDecision first = await DecideAsync(filter, Request());
        await first.CommitAsync(TestContext.Current.CancellationToken);
        FilterDecision second = await DecideAsync(filter, Request());

        ReplyAction reply = Assert.Single(first.Actions.OfType<ReplyAction>());
        Assert.Equal("friend@example.com", reply.Recipient);
        using MimeMessage message = MimeMessage.Load(new MemoryStream(reply.Message.ToArray()), TestContext.Current.CancellationToken);
        Assert.Equal("auto-replied (vacation)", message.Headers["Auto-Submitted"]);
        Assert.Equal("m1@example.com", message.InReplyTo);
        Assert.Equal(["m0@example.com", "m1@example.com"], message.References);
        Assert.Equal("Auto: hello", message.Subject);
        Assert.Equal("samt@example.org", ((MailboxAddress)message.From[0]).Address);
        Assert.Equal("I am away.", message.TextBody?.Trim());
        Assert.Empty(second.Actions.OfType<ReplyAction>());
    }

    [Fact]
    public async Task BeforeTheSmtpReplyARejectIsDecidedButNoReplyIsBuilt()
    {
        Activate("require [\"reject\", \"vacation\"]; if header :contains \"subject\" \"hello\" { reject \"Not here.\"; } ");

        FilterDecision decision = await DecideAsync(Filter(), Request(phase: FilterPhase.BeforeAcceptance));

        Assert.Equal(new RejectAction("Not here.", false), decision.Reject);
        Assert.Empty(_logs.Lines(MaillogCategories.Sieve));
    }

    [Fact]
    public async Task SiteBeforeScriptFilesSpamAndTheUsersScriptDoesNotRunAfterIt()
    {
        string before = Path.Combine(_root.Root, "before.sieve");
        File.WriteAllText(before, "require \"fileinto\"; if header :contains \"subject\" \"hello\" { fileinto \"Junk\"; }");
        Activate("require \"fileinto\"; fileinto \"Mine\";");
        var options = new SieveOptions();
        options.Before.Add(before);

        FilterDecision decision = await DecideAsync(Filter(options), Request());

        Assert.Equal(["Junk"], decision.Actions.OfType<StoreAction>().Select(s => s.Folder));
    }

    [Fact]
    public async Task SiteAfterScriptsInADirectoryRunInNameOrderWhileTheMessageIsKept()
    {
        string after = Path.Combine(_root.Root, "after");
        System.IO.Directory.CreateDirectory(after);
        File.WriteAllText(Path.Combine(after, "20-second.sieve"), "require [\"imap4flags\"]; addflag \"second\";");
        File.WriteAllText(Path.Combine(after, "10-first.sieve"), "require [\"imap4flags\"]; addflag \"first\";");
        var options = new SieveOptions();
        options.After.Add(after);

        FilterDecision decision = await DecideAsync(Filter(options), Request());

        Assert.Equal("first second", string.Join(' ', Assert.IsType<StoreAction>(Assert.Single(decision.Actions)).Flags));
    }

    [Fact]
    public async Task GlobalIncludeComesFromTheSiteDirectory()
    {
        string global = Path.Combine(_root.Root, "global");
        System.IO.Directory.CreateDirectory(global);
        File.WriteAllText(Path.Combine(global, "spam.sieve"), "require \"fileinto\"; fileinto \"FromGlobal\";");
        Activate("require \"include\"; include :global \"spam\";");
        var options = new SieveOptions { GlobalDirectory = global };

        FilterDecision decision = await DecideAsync(Filter(options), Request());

        Assert.Equal("FromGlobal", Assert.IsType<StoreAction>(Assert.Single(decision.Actions)).Folder);
    }

    [Fact]
    public async Task DisabledSieveFiltersNothing()
    {
        Activate("discard;");

        FilterDecision decision = await DecideAsync(Filter(new SieveOptions { Enabled = false }), Request());

        Assert.False(decision.Filtered);
    }
}

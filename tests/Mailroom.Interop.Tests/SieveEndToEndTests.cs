using System.Globalization;
using Mailroom.Interop.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// Sieve end to end on the real program: a script uploaded and activated with sieve-connect over ManageSieve (STARTTLS),
/// then mail sent with MailKit's SmtpClient: a newsletter filed into a folder IMAP sees, the boss's mail flagged, a
/// sender rejected with 550 at SMTP time, and a vacation reply sent once per sender and never to a mailing list.
/// </summary>
public sealed class SieveEndToEndTests : IAsyncLifetime
{
    private const string Domain = "sieve.example.org";
    private const string Samt = "samt@" + Domain;
    private const string Boss = "boss@" + Domain;
    private const string Friend = "friend@" + Domain;
    private const string News = "news@" + Domain;

    private const string Script = """
        require ["fileinto", "mailbox", "imap4flags", "reject", "vacation"];
        if address :is "from" "spammer@example.net" { reject "No spam here."; stop; }
        vacation :days 7 :subject "Away" "I am away this week.";
        if exists "list-id" { fileinto :create "News"; }
        elsif address :is "from" "boss@sieve.example.org" { addflag "\\Flagged"; }

        """;

    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync(Domain);
            foreach (string user in (string[])[Samt, Boss, Friend, News])
            {
                await server.AddUserAsync(user);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ScriptFilesFlagsRejectsAndAnswersOncePerSenderButNeverAList()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string local = Path.Combine(Server.DataDirectory, "filter.sieve");
        await File.WriteAllTextAsync(local, Script, ct);
        ProcessResult upload = await SieveConnectAsync("--upload", "--localsieve", local, "--remotesieve", "filter");
        ProcessResult activate = await SieveConnectAsync("--activate", "--remotesieve", "filter");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.True(activate.ExitCode == 0, activate.ToString());

        await SendAsync(Message(News, "Weekly digest", "digest", "List-Id", "<weekly.sieve.example.org>"), ct);
        await SendAsync(Message(Boss, "Budget", "budget"), ct);
        await SendAsync(Message(Friend, "Lunch?", "lunch1"), ct);
        SmtpCommandException rejected = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Message("spammer@example.net", "Offer", "offer"), ct));
        await Server.WaitForMaillogLineAsync(@"sieve: user=<samt@sieve\.example\.org>, msgid=<lunch1@test>: sent vacation response to <friend@sieve\.example\.org>");
        // The reply is remembered once delivery has carried the decision out (queued the reply), then logs the recipient.
        await Server.WaitForMaillogLineAsync(@"to=<samt@sieve\.example\.org>,.*relay=local,.*status=sent \(sieve: delivered to mailbox; vacation reply sent to <friend@sieve\.example\.org>\)");
        await SendAsync(Message(Friend, "Lunch again", "lunch2"), ct);
        await Server.WaitForMaillogLineAsync(@"msgid=<lunch2@test>: vacation action: discarded duplicate vacation response to <friend@sieve\.example\.org>");

        Assert.Equal(550, (int)rejected.StatusCode);
        Assert.Contains("No spam here.", rejected.Message, StringComparison.Ordinal);
        byte[] reply = await Maildir.WaitForMessageAsync(Server.DataDirectory, Friend, "Auto-Submitted: auto-replied");
        await Maildir.WaitForMessageAsync(Server.DataDirectory, Boss, "Auto-Submitted: auto-replied");
        await Server.WaitForMaillogLineAsync(@"msgid=<digest@test>: vacation action: discarding vacation response to mailinglist recipient");
        await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, Friend).Count == 1, Maildir.DeliveryTimeout, "the one reply to the friend");
        Assert.Empty(Maildir.Messages(Server.DataDirectory, News));
        using (var stream = new MemoryStream(reply))
        {
            MimeMessage answer = await MimeMessage.LoadAsync(stream, ct);
            Assert.Equal("Away", answer.Subject);
            Assert.Equal("lunch1@test", answer.InReplyTo);
        }

        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", Server.Port("imap"), SecureSocketOptions.StartTls, ct);
        await imap.AuthenticateAsync(Samt, MailroomServer.Password, ct);
        IMailFolder news = await imap.GetFolderAsync("News", ct);
        await news.OpenAsync(FolderAccess.ReadOnly, ct);
        Assert.Equal(["Weekly digest"], (await news.FetchAsync(0, -1, MessageSummaryItems.Envelope, ct)).Select(m => m.Envelope?.Subject));
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        IList<UniqueId> flagged = await imap.Inbox.SearchAsync(SearchQuery.Flagged, ct);
        IList<IMessageSummary> inbox = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.UniqueId, ct);
        Assert.Equal(["Budget", "Lunch again", "Lunch?"], inbox.Select(m => m.Envelope?.Subject ?? "").Order(StringComparer.Ordinal));
        Assert.Equal("Budget", Assert.Single(inbox, m => flagged.Contains(m.UniqueId)).Envelope?.Subject);
        Assert.Equal(["Budget"], inbox.Where(m => m.Flags?.HasFlag(MessageFlags.Flagged) == true).Select(m => m.Envelope?.Subject));
        await imap.DisconnectAsync(quit: true, ct);
    }

    private static MimeMessage Message(string from, string subject, string id, string? header = null, string? value = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(Samt));
        message.Subject = subject;
        message.MessageId = id + "@test";
        if (header is not null)
        {
            message.Headers.Add(header, value!);
        }

        message.Body = new TextPart("plain") { Text = "Hello." };
        return message;
    }

    private async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", Server.SmtpPort, SecureSocketOptions.None, ct);
        try
        {
            await client.SendAsync(message, ct);
        }
        finally
        {
            await client.DisconnectAsync(quit: true, ct);
        }
    }

    private Task<ProcessResult> SieveConnectAsync(params string[] arguments) =>
        ExternalTool.RunAsync(
            "sieve-connect",
            [
                "--server", "127.0.0.1", "--port", Server.Port("managesieve").ToString(CultureInfo.InvariantCulture),
                "--user", Samt, "--passwordfd", "0", "--notlsverify", .. arguments,
            ],
            MailroomServer.Password + "\n");
}

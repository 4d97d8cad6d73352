using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// Server-side sorting and threading (RFC 5256, RFC 5957, RFC 5267 ESORT) as webmail and desktop clients ask for it:
/// Python's imaplib and MailKit against the real program.
/// </summary>
public sealed class ImapSortThreadTests : IAsyncLifetime
{
    private const string Domain = "sort.example.org";
    private static readonly string[] Users = ["py", "mk"];
    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync(Domain);
            foreach (string user in Users)
            {
                await server.AddUserAsync(Address(user));
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

    private static string Address(string user) => $"{user}@{Domain}";

    // Appends a small thread (2 and 4 answer 1; 3 stands alone), then sorts and threads it.
    private const string ImaplibScript = """
        import imaplib, sys
        port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        m = imaplib.IMAP4("127.0.0.1", port, timeout=15)
        def ok(result):
            typ, data = result
            if typ != "OK":
                print("failed:", typ, data); sys.exit(1)
            return data
        def mail(mid, subject, date, sender, refs=None):
            head = f"From: {sender}\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\nDate: {date}\r\n"
            if refs:
                head += f"References: {refs}\r\n"
            return (head + "\r\nBody.\r\n").encode()
        ok(m.login(user, password))
        for message in [mail("a@x", "Lunch plans", "Mon, 1 Jan 2024 10:00:00 +0000", "Carol <carol@example.org>"),
                        mail("b@x", "Re: Lunch plans", "Mon, 1 Jan 2024 12:00:00 +0000", "Alice <alice@example.org>", "<a@x>"),
                        mail("c@x", "Budget", "Mon, 1 Jan 2024 09:00:00 +0000", "Bob <bob@example.org>"),
                        mail("d@x", "[team] Re: Lunch plans", "Mon, 1 Jan 2024 11:00:00 +0000", "Dave <dave@example.org>", "<a@x>")]:
            ok(m.append("INBOX", None, None, message))
        ok(m.select("INBOX"))
        caps = m.capabilities
        for cap in ("SORT", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "ESORT"):
            if cap not in caps: print("capability missing:", cap, caps); sys.exit(1)
        checks = [
            (m.sort("(DATE)", "UTF-8", "ALL"), b"3 1 4 2"),
            (m.sort("(REVERSE SUBJECT)", "UTF-8", "ALL"), b"1 2 4 3"),
            (m.sort("(FROM)", "US-ASCII", "SUBJECT", "lunch"), b"2 1 4"),
            (m.sort("(DISPLAYFROM)", "UTF-8", "ALL"), b"2 3 1 4"),
            (m.uid("SORT", "(SIZE DATE)", "UTF-8", "ALL"), None),
            (m.thread("REFERENCES", "UTF-8", "ALL"), b"(3)(1 (4)(2))"),
            (m.thread("ORDEREDSUBJECT", "UTF-8", "ALL"), b"(3)(1 (4)(2))"),
            (m.uid("THREAD", "REFERENCES", "UTF-8", "FROM", "alice"), b"(2)"),
        ]
        for result, expected in checks:
            data = ok(result)
            if expected is not None and data[0] != expected:
                print("unexpected:", data, "wanted", expected); sys.exit(1)
        typ, data = m.sort("(DATE)", "KOI8-R", "ALL")
        if typ != "NO" or b"BADCHARSET" not in data[0]: print("charset not refused:", typ, data); sys.exit(1)
        m.logout()
        print("ok")
        """;

    [Fact]
    public async Task PythonImaplibSortsAndThreads()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string script = Path.Combine(Server.DataDirectory, $"{SharedServer.NewTag("sort")}.py");
        await File.WriteAllTextAsync(script, ImaplibScript, ct);
        ProcessResult result = await ExternalTool.RunAsync("python3",
            [script, Server.Port("imap").ToString(CultureInfo.InvariantCulture), Address("py"), MailroomServer.Password]);
        File.Delete(script);

        Assert.True(result.ExitCode == 0, $"imaplib sort/thread failed: {result}");
        Assert.Equal("ok", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task MailKitSortsThreadsAndUsesEsort()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Server.Port("imap"), SecureSocketOptions.StartTls, ct);
        await client.AuthenticateAsync(Address("mk"), MailroomServer.Password, ct);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Sort | ImapCapabilities.SortDisplay | ImapCapabilities.Thread | ImapCapabilities.ESort));

        var start = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 6; i++)
        {
            // Three threads of two: each original, then its reply; senders in reverse order of sending.
            var message = new MimeMessage { Subject = (i % 2 == 1 ? "Re: " : "") + $"Topic {i / 2}", Date = start.AddHours(i), MessageId = $"{i}@mk.example" };
            message.From.Add(new MailboxAddress($"Sender {5 - i}", $"s{5 - i}@example.org"));
            if (i % 2 == 1)
            {
                message.InReplyTo = $"{i - 1}@mk.example";
                message.References.Add($"{i - 1}@mk.example");
            }

            message.Body = new TextPart("plain") { Text = "Hello." };
            await client.Inbox.AppendAsync(message, MessageFlags.None, ct);
        }

        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], (await client.Inbox.SortAsync(SearchQuery.All, [OrderBy.Date], ct)).Select(u => u.Id));
        Assert.Equal([6u, 5u, 4u, 3u, 2u, 1u], (await client.Inbox.SortAsync(SearchQuery.All, [OrderBy.From], ct)).Select(u => u.Id));
        Assert.Equal([5u, 6u, 3u, 4u, 1u, 2u], (await client.Inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseSubject, OrderBy.Arrival], ct)).Select(u => u.Id));
        SearchResults esort = await client.Inbox.SortAsync(SearchOptions.All | SearchOptions.Count, SearchQuery.All, [OrderBy.DisplayFrom], ct);
        Assert.Equal(6, esort.Count);
        Assert.Equal([6u, 5u, 4u, 3u, 2u, 1u], esort.UniqueIds.Select(u => u.Id));

        IList<MessageThread> threads = await client.Inbox.ThreadAsync(ThreadingAlgorithm.References, SearchQuery.All, ct);
        Assert.Equal([1u, 3u, 5u], threads.Select(t => t.UniqueId!.Value.Id));
        Assert.Equal([2u, 4u, 6u], threads.Select(t => Assert.Single(t.Children).UniqueId!.Value.Id));
        IList<MessageThread> bySubject = await client.Inbox.ThreadAsync(ThreadingAlgorithm.OrderedSubject, SearchQuery.Not(SearchQuery.SubjectContains("Topic 1")), ct);
        Assert.Equal([1u, 5u], bySubject.Select(t => t.UniqueId!.Value.Id));
        await client.DisconnectAsync(quit: true, ct);
    }
}

using System.Text;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;
using MimeKit;

namespace Mailroom.Imap.Tests.Server;

/// <summary>MULTIAPPEND (RFC 3502) as MailKit's <see cref="ImapFolder"/> uses it: several messages in one APPEND command.</summary>
public sealed class MailKitMultiAppendTests
{
    [Fact]
    public async Task MailKitAppendsSeveralMessagesInOneCommandWithTheirOwnFlagsKeywordsAndDates()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true));
        await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, MailKit.Security.SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(ImapTestServer.Charlie, "charlie", ct);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.MultiAppend));
        var first = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        IAppendRequest[] requests =
        [
            new AppendRequest(Message(1), MessageFlags.Seen) { InternalDate = first },
            new AppendRequest(Message(2), MessageFlags.Flagged) { Keywords = new HashSet<string> { "$Work" } },
            new AppendRequest(Message(3), MessageFlags.None),
        ];

        IList<UniqueId> uids = await client.Inbox.AppendAsync(requests, ct);

        Assert.Equal([1u, 2u, 3u], uids.Select(static u => u.Id));
        string transcript = Encoding.UTF8.GetString(log.ToArray());
        Assert.Single(transcript.Split('\n'), static l => l.StartsWith("C: ", StringComparison.Ordinal) && l.Contains(" APPEND INBOX ", StringComparison.Ordinal));
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate, ct);
        Assert.Equal(["Multi 1", "Multi 2", "Multi 3"], summaries.Select(static s => s.Envelope!.Subject));
        Assert.Equal(MessageFlags.Seen, summaries[0].Flags!.Value & ~MessageFlags.Recent);
        Assert.Equal(first, summaries[0].InternalDate);
        Assert.Equal(MessageFlags.Flagged, summaries[1].Flags!.Value & ~MessageFlags.Recent);
        Assert.Contains("$Work", summaries[1].Keywords);
        Assert.Equal(MessageFlags.None, summaries[2].Flags!.Value & ~MessageFlags.Recent);
    }

    private static MimeMessage Message(int i)
    {
        var message = new MimeMessage { Subject = "Multi " + i, Body = new TextPart("plain") { Text = "Body " + i + ".\n" } };
        message.From.Add(new MailboxAddress("Ann", "ann@example.net"));
        message.To.Add(new MailboxAddress("Charlie", ImapTestServer.Charlie));
        return message;
    }
}

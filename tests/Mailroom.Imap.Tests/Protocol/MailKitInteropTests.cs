using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using MimeKit;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>MailKit's IMAP client parses the ENVELOPE and BODYSTRUCTURE we produce and gets the right structure.</summary>
public sealed class MailKitInteropTests
{
    private static async Task<IMessageSummary> FetchThroughMailKitAsync(string message, MessageSummaryItems items)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        (MemoryStream stream, Mailroom.Imap.Protocol.Mime.BodyPart parsed) = ProtocolWire.Parse(message);
        using (stream)
        {
            await using ScriptedImapServer server = new(
                EnvelopeFormatter.Format(parsed.Header, MessageLimits.Default.MaxEnvelopeAddresses),
                BodyStructureFormatter.Format(parsed, extensible: true, MessageLimits.Default),
                BodyStructureFormatter.Format(parsed, extensible: false, MessageLimits.Default));
            using ImapClient client = new();
            client.Timeout = 10_000;
            await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None, cancellationToken);
            await client.AuthenticateAsync("user", "pass", cancellationToken);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(0, -1, items | MessageSummaryItems.UniqueId, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return Assert.Single(summaries);
        }
    }

    [Fact]
    public async Task MailKitReadsThePlainMessageEnvelope()
    {
        IMessageSummary summary = await FetchThroughMailKitAsync(SampleMessages.Plain, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure);
        Assert.Equal("Hello there", summary.Envelope!.Subject);
        Assert.Equal("<1@example.org>", "<" + summary.Envelope!.MessageId + ">");
        MailboxAddress from = Assert.IsType<MailboxAddress>(Assert.Single(summary.Envelope!.From));
        Assert.Equal(("Alice Example", "alice@example.org"), (from.Name, from.Address));
        Assert.Equal(["bob@example.org", "john@example.net"], summary.Envelope!.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Doe, John", summary.Envelope!.To.Mailboxes.Last().Name);
        BodyPartText text = Assert.IsType<BodyPartText>(summary.Body);
        Assert.Equal((18u, 1u), (text.Octets, text.Lines));
    }

    [Fact]
    public async Task MailKitReadsTheMixedMessageStructure()
    {
        IMessageSummary summary = await FetchThroughMailKitAsync(SampleMessages.Mixed, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure);
        BodyPartMultipart mixed = Assert.IsType<BodyPartMultipart>(summary.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(3, mixed.BodyParts.Count);
        BodyPartMultipart alternative = Assert.IsType<BodyPartMultipart>(mixed.BodyParts[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.BodyParts.Select(p => p.ContentType.MimeType));
        BodyPartBasic attachment = Assert.IsType<BodyPartBasic>(mixed.BodyParts[1]);
        Assert.True(attachment.IsAttachment);
        Assert.Equal("data.bin", attachment.FileName);
        Assert.Equal("2", attachment.PartSpecifier);
        BodyPartMessage rfc822 = Assert.IsType<BodyPartMessage>(mixed.BodyParts[2]);
        Assert.Equal("Inner", rfc822.Envelope!.Subject);
        Assert.Equal(4u, rfc822.Lines);
        Assert.Equal(10u, Assert.IsType<BodyPartText>(rfc822.Body).Octets);
    }

    [Fact]
    public async Task MailKitReadsTheNonExtensibleBody()
    {
        IMessageSummary summary = await FetchThroughMailKitAsync(SampleMessages.Mixed, MessageSummaryItems.Envelope | MessageSummaryItems.Body);
        BodyPartMultipart mixed = Assert.IsType<BodyPartMultipart>(summary.Body);
        Assert.Equal(3, mixed.BodyParts.Count);
        Assert.Equal("application/octet-stream", mixed.BodyParts[1].ContentType.MimeType);
    }

    [Fact]
    public async Task MailKitDecodesEncodedWordsGroupsAndEightBitText()
    {
        const string message = "Subject: =?UTF-8?B?w6l0w6k=?=\nFrom: \"J\u00f6rg\" <j@x.example>\nTo: Friends: a@x.example;, =?ISO-8859-1?Q?Andr=E9?= <andre@y.example>\n\nb\n";
        IMessageSummary summary = await FetchThroughMailKitAsync(message, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure);
        Assert.Equal("\u00e9t\u00e9", summary.Envelope!.Subject);
        Assert.Equal("J\u00f6rg", summary.Envelope!.From.Mailboxes.Single().Name);
        GroupAddress group = Assert.IsType<GroupAddress>(summary.Envelope!.To[0]);
        Assert.Equal("Friends", group.Name);
        Assert.Equal("a@x.example", group.Members.Mailboxes.Single().Address);
        Assert.Equal("Andr\u00e9", Assert.IsType<MailboxAddress>(summary.Envelope!.To[1]).Name);
    }

    [Fact]
    public async Task MailKitDecodesRfc2231FileNames()
    {
        const string message = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/pdf; name*0*=utf-8''r%C3%A9; name*1*=sum%C3%A9.pdf\n"
            + "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\n\nx\n--b--\n";
        IMessageSummary summary = await FetchThroughMailKitAsync(message, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure);
        BodyPartBasic attachment = Assert.IsType<BodyPartBasic>(Assert.IsType<BodyPartMultipart>(summary.Body).BodyParts.Single());
        Assert.Equal("r\u00e9sum\u00e9.pdf", attachment.FileName);
        Assert.Equal("r\u00e9sum\u00e9.pdf", attachment.ContentType.Name);
    }
}

using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// A Sieve reject answered in the SMTP dialogue (RFC 5429 §2.1): for a message to exactly one local mailbox the filter is
/// asked before the reply to DATA, and its reject is a 550 5.7.1 with the reason; nothing is queued.
/// </summary>
public sealed class FilterRejectTests
{
    private static async Task<string> SendAsync(RawClient client, string recipients, string body)
    {
        await client.CommandAsync("EHLO client.example.net");
        await client.CommandAsync("MAIL FROM:<spammer@example.net>");
        foreach (string recipient in recipients.Split(','))
        {
            await client.CommandAsync($"RCPT TO:<{recipient}>");
        }

        await client.CommandAsync("DATA");
        return await client.CommandAsync($"Subject: offer\r\n\r\n{body}\r\n.");
    }

    [Fact]
    public async Task RejectForASingleLocalRecipientIsA550AndNothingIsQueued()
    {
        var filter = new RejectingFilter("buy now", "No offers, thanks.");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(filter: filter);
        await using RawClient client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        string reply = await SendAsync(client, "samt@example.org", "buy now");

        Assert.Equal("550 5.7.1 No offers, thanks.", reply);
        Assert.Empty(server.Submitter.Committed);
        (Mailroom.Core.Filtering.FilterRequest request, string content) = Assert.Single(filter.Asked);
        Assert.Equal(Mailroom.Core.Filtering.FilterPhase.BeforeAcceptance, request.Phase);
        Assert.StartsWith("Received: from client.example.net", content, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Lines(Mailroom.Core.MaillogCategories.Smtpd), l => l.Contains("reject: DATA from", StringComparison.Ordinal) && l.Contains("550 5.7.1 No offers, thanks.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageTheFilterKeepsIsQueued()
    {
        var filter = new RejectingFilter("buy now", "No.");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(filter: filter);
        await using RawClient client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        string reply = await SendAsync(client, "samt@example.org", "hello");

        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply, StringComparison.Ordinal);
        Assert.Single(server.Submitter.Committed);
    }

    [Fact]
    public async Task WithSeveralRecipientsTheFilterIsNotAskedAtSmtpTime()
    {
        var filter = new RejectingFilter("buy now", "No.");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(filter: filter);
        await using RawClient client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        string reply = await SendAsync(client, "samt@example.org,alice@example.org", "buy now");

        Assert.StartsWith("250 ", reply, StringComparison.Ordinal);
        Assert.Empty(filter.Asked);
    }

    [Fact]
    public async Task ReasonWithLineBreaksBecomesOneReplyLine()
    {
        var filter = new RejectingFilter("buy now", "No\r\nthanks\u00e9");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(filter: filter);
        await using RawClient client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        Assert.Equal("550 5.7.1 No  thanks?", await SendAsync(client, "samt@example.org", "buy now"));
    }
}

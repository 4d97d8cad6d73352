using Mailroom.Core;
using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

public sealed class TranscriptTests
{
    private const string Ehlo =
        "250-mx.example.org\n250-PIPELINING\n250-SIZE 10240000\n250-STARTTLS\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-DSN\n250-SMTPUTF8\n250 CHUNKING";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClassicTelnetTranscriptGetsPostfixRepliesInAnyCase(bool lowerCase)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using (RawClient client = await server.ConnectAsync())
        {
            string Cmd(string command) => lowerCase ? command.ToLowerInvariant() : command;
            Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
            Assert.Equal(Ehlo, await client.CommandAsync(Cmd("EHLO") + " example.org"));
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync(Cmd("MAIL FROM:") + " <samt@example.org>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync(Cmd("RCPT TO:") + " <samt@example.org>"));
            Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync(Cmd("DATA")));
            Assert.Equal("250 2.0.0 Ok: queued as ABCDEF000001", await client.CommandAsync("Subject: test\r\n\r\nHello\r\n..\r\n."));
            Assert.Equal("221 2.0.0 Bye", await client.CommandAsync(Cmd("QUIT")));
            Assert.Null(await client.ReadLineAsync());
        }

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal("samt@example.org", message.Envelope.Sender);
        EnvelopeRecipient recipient = Assert.Single(message.Envelope.Recipients);
        Assert.Equal(new EnvelopeRecipient { Address = "samt@example.org", OriginalAddress = "samt@example.org", Route = RecipientRoute.Local }, recipient);
        Assert.Equal("ESMTP", message.Envelope.Protocol);
        Assert.StartsWith(
            "Received: from example.org (localhost [127.0.0.1])\r\n\tby mx.example.org (Mailroom) with ESMTP id ABCDEF000001\r\n\tfor <samt@example.org>; ",
            message.Text,
            StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: test\r\n\r\nHello\r\n.\r\n", message.Text, StringComparison.Ordinal);

        Assert.Equal(
            [
                "connect from localhost[127.0.0.1]",
                "ABCDEF000001: client=localhost[127.0.0.1]",
                "disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
            ],
            await server.SmtpdLinesAfterDisconnectAsync());
        Assert.Equal(["ABCDEF000001: message-id=<>"], server.Logs.Lines(MaillogCategories.Cleanup));
    }

    [Fact]
    public async Task PipelinedCommandsAreAnsweredInOrder()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("EHLO c.example\r\nMAIL FROM:<>\r\nRCPT TO:<samt@example.org>\r\nRCPT TO:<nobody@example.org>\r\nRCPT TO:<team@example.org> NOTIFY=FAILURE ORCPT=rfc822;team@example.org\r\nDATA\r\n");
        Assert.StartsWith("250-mx.example.org", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("250 2.1.0 Ok", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.Equal("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Ok", await client.ReadReplyAsync());
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.ReadReplyAsync());
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("221 2.0.0 Bye", await client.ReadReplyAsync());

        Envelope envelope = Assert.Single(server.Submitter.Committed).Envelope;
        Assert.Equal("", envelope.Sender);
        Assert.Equal(
            [
                new EnvelopeRecipient { Address = "samt@example.org", OriginalAddress = "samt@example.org", Route = RecipientRoute.Local },
                new EnvelopeRecipient { Address = "alice@example.org", OriginalAddress = "team@example.org", Route = RecipientRoute.Local, Notify = DsnNotify.Failure, OriginalRecipientParameter = "rfc822;team@example.org" },
                new EnvelopeRecipient { Address = "bob@remote.example", OriginalAddress = "team@example.org", Route = RecipientRoute.Remote, Notify = DsnNotify.Failure, OriginalRecipientParameter = "rfc822;team@example.org" },
            ],
            envelope.Recipients);
        IReadOnlyList<string> log = await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Contains(
            "NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table; from=<> to=<nobody@example.org> proto=ESMTP helo=<c.example>",
            log);
        Assert.Equal("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=2/3 data=1 quit=1 commands=6/7", log[^1]);
    }

    [Fact]
    public async Task SubmissionAddsMessageIdAndDateAndLogsTheSaslUser()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, o => o.AllowPlaintextAuth = true);
        await using (RawClient client = await server.ConnectAsync())
        {
            await client.ReadLineAsync();
            Assert.Contains("250-AUTH PLAIN LOGIN", await client.CommandAsync("EHLO c.example"), StringComparison.Ordinal);
            Assert.Equal("530 5.7.0 Authentication required", await client.CommandAsync("MAIL FROM:<samt@example.org>"));
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0samt@example.org\0secret"u8)));
            Assert.Equal("553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user samt@example.org", await client.CommandAsync("MAIL FROM:<alice@example.org>"));
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<sam.t@example.org>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<someone@remote.example>"));
            await client.CommandAsync("DATA");
            Assert.StartsWith("250 2.0.0 Ok", await client.CommandAsync("Subject: s\r\n\r\nbody\r\n."), StringComparison.Ordinal);
            await client.CommandAsync("QUIT");
        }

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal("samt@example.org", message.Envelope.AuthenticatedUser);
        Assert.Equal("ESMTPA", message.Envelope.Protocol);
        Assert.Contains("\r\nSubject: s\r\nMessage-Id: <", message.Text, StringComparison.Ordinal);
        Assert.Contains($".{message.QueueId}@mx.example.org>\r\nDate: ", message.Text, StringComparison.Ordinal);
        IReadOnlyList<string> log = await server.SmtpdLinesAfterDisconnectAsync();
        Assert.Contains($"{message.QueueId}: client=localhost[127.0.0.1], sasl_method=PLAIN, sasl_username=samt@example.org", log);
        Assert.StartsWith($"{message.QueueId}: message-id=<", Assert.Single(server.Logs.Lines(MaillogCategories.Cleanup)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BdatChunksMakeOneMessage()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.CommandAsync("EHLO c.example");
        await client.CommandAsync("MAIL FROM:<a@remote.example> BODY=BINARYMIME");
        await client.CommandAsync("RCPT TO:<samt@example.org>");
        Assert.Equal("250 2.0.0 Ok: 12 bytes", await client.RawAsync("BDAT 12\r\nSubject: b\r\n"));
        Assert.Equal("503 5.5.1 Error: DATA cannot be mixed with BDAT", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.RawAsync("BDAT 7 LAST\r\n\r\n.\0x\r\n"), StringComparison.Ordinal);
        Assert.Equal("503 5.5.1 Error: need MAIL command", await client.RawAsync("BDAT 4\r\nNOOP"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal(BodyType.BinaryMime, message.Envelope.BodyType);
        Assert.EndsWith("\r\nSubject: b\r\n\r\n.\0x\r\n", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BdatChunkOverTheSizeLimitFailsTheRestOfTheTransaction()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxMessageSize = 10);
        await using RawClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.CommandAsync("EHLO c.example");
        await client.CommandAsync("MAIL FROM:<a@remote.example>");
        await client.CommandAsync("RCPT TO:<samt@example.org>");
        Assert.Equal("552 5.3.4 Error: message file too big", await client.RawAsync("BDAT 20\r\n01234567890123456789"));
        Assert.Equal("552 5.3.4 Error: message file too big", await client.RawAsync("BDAT 2 LAST\r\nab"));
        Assert.Equal("503 5.5.1 Error: need MAIL command", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Empty(server.Submitter.Committed);
        Assert.All(server.Submitter.Submissions, s => Assert.True(s.Disposed));
    }
}

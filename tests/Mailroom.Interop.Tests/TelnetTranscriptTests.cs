using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>The classic test every mail admin does by hand: telnet to port 25 and type the dialogue.</summary>
public sealed partial class TelnetTranscriptTests(SharedServer shared)
{
    private readonly MailroomServer _server = shared.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TypedDialogueGetsPostfixRepliesAndTheExactBytesAreDelivered(bool upperCase)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tag = SharedServer.NewTag("telnet");
        string messageId = upperCase ? $"<{tag}@client.example.org>" : "";
        string Cased(string command) => upperCase ? command : command.ToLowerInvariant();
        string message =
            (upperCase ? $"Message-ID: {messageId}\r\n" : "") +
            $"Subject: telnet test\r\nX-Tag: {tag}\r\n\r\nHello from telnet.\r\n.a line that starts with a dot\r\n\tand a tab\r\n";

        var (smtp, greeting) = await RawSmtpConnection.ConnectAsync(_server.SmtpPort, ct);
        await using (smtp)
        {
            Assert.Equal([$"220 {MailroomServer.HostName} ESMTP Mailroom"], greeting);
            IReadOnlyList<string> ehlo = await smtp.CommandAsync(Cased("EHLO") + " example.org", ct);
            Assert.Equal($"250-{MailroomServer.HostName}", ehlo[0]);
            Assert.StartsWith("250 ", ehlo[^1]);
            Assert.Equal(["250 2.1.0 Ok"], await smtp.CommandAsync(Cased("MAIL FROM:") + " <samt@example.org>", ct));
            Assert.Equal(["250 2.1.5 Ok"], await smtp.CommandAsync(Cased("RCPT TO:") + " <samt@example.org>", ct));
            Assert.Equal(["354 End data with <CR><LF>.<CR><LF>"], await smtp.CommandAsync(Cased("DATA"), ct));
            // RFC 5321 §4.5.2: a line starting with a dot is sent with the dot doubled.
            await smtp.SendAsync(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal), ct);
            IReadOnlyList<string> queued = await smtp.CommandAsync(".", ct);
            Match match = QueuedAs().Match(Assert.Single(queued));
            Assert.True(match.Success, $"unexpected reply to the end of data: {queued[0]}");
            string queueId = match.Groups[1].Value;
            Assert.Equal(["221 2.0.0 Bye"], await smtp.CommandAsync(Cased("QUIT"), ct));

            byte[] delivered = await Maildir.WaitForMessageAsync(_server.DataDirectory, SharedServer.Samt, tag);
            AssertDeliveredFile(delivered, queueId, Encoding.ASCII.GetBytes(message));
            await AssertMaillogAsync(queueId, upperCase ? messageId : null);
        }
    }

    private static void AssertDeliveredFile(byte[] delivered, string queueId, byte[] sent)
    {
        string text = Encoding.ASCII.GetString(delivered);
        Assert.StartsWith("Return-Path: <samt@example.org>\r\n", text, StringComparison.Ordinal);
        int bodyStart = delivered.Length - sent.Length;
        Assert.True(bodyStart > 0, "the delivered file is shorter than the message sent");
        // Everything the client sent comes after the trace headers the server prepends, byte for byte.
        Assert.Equal(sent, delivered[bodyStart..]);
        string trace = text[..bodyStart];
        Assert.Contains("\r\nDelivered-To: samt@example.org\r\n", trace, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"\r\nReceived: from example\.org \(localhost \[127\.0\.0\.1\]\)\r\n\s+by {Regex.Escape(MailroomServer.HostName)} \(Mailroom\) with ESMTP id {queueId}\b"), trace);
    }

    private async Task AssertMaillogAsync(string queueId, string? messageId)
    {
        await _server.WaitForMaillogLineAsync($@"mailroom/qmgr\[\d+\]: {queueId}: removed$");
        List<string> lines = _server.MaillogLines().Where(l => l.Contains($": {queueId}: ", StringComparison.Ordinal)).ToList();
        string log = string.Join('\n', lines);
        string[] expected =
        [
            $@"mailroom/smtpd\[\d+\]: {queueId}: client=localhost\[127\.0\.0\.1\]$",
            .. messageId is null ? (string[])[] : [$@"mailroom/cleanup\[\d+\]: {queueId}: message-id={Regex.Escape(messageId)}$"],
            $@"mailroom/qmgr\[\d+\]: {queueId}: from=<samt@example\.org>, size=\d+, nrcpt=1 \(queue active\)$",
            $@"mailroom/local\[\d+\]: {queueId}: to=<samt@example\.org>, relay=local, delay=[\d.]+, .*dsn=2\.0\.0, status=sent \(delivered to mailbox\)$",
            $@"mailroom/qmgr\[\d+\]: {queueId}: removed$",
        ];
        int position = -1;
        foreach (string pattern in expected)
        {
            int found = lines.FindIndex(position + 1, l => Regex.IsMatch(l, pattern));
            Assert.True(found > position, $"no maillog line /{pattern}/ in order in:\n{log}");
            position = found;
        }

        Assert.Matches(@"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ mailroom/", lines[0]);
    }

    [GeneratedRegex(@"^250 2\.0\.0 Ok: queued as ([0-9A-F]{10,})$")]
    private static partial Regex QueuedAs();
}

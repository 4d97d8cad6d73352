using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class ImapUrlTests
{
    private const string User = "charlie@alpha.example.org";

    private static bool IsThisServer(string host) => host is "mail.example.org" or "127.0.0.1";

    private static ImapUrl Parse(string text)
    {
        Assert.True(ImapUrl.TryParse(text, User, IsThisServer, out ImapUrl? url), text);
        return url!;
    }

    [Theory]
    [InlineData("/INBOX/;UID=7", "INBOX", null, 7u, null, null, null)]
    [InlineData("/inbox;UIDVALIDITY=785799047/;UID=113330/;SECTION=1.5.9", "INBOX", 785799047u, 113330u, "1.5.9", null, null)]
    [InlineData("/Sent/2024/;uid=3/;section=HEADER/;partial=100000.1", "Sent/2024", null, 3u, "HEADER", 100000L, 1L)]
    [InlineData("/Gr%C3%BC%C3%9Fe/;UID=1/;PARTIAL=0", "Grüße", null, 1u, null, 0L, null)]
    [InlineData(";UID=20/;SECTION=1.MIME", null, null, 20u, "1.MIME", null, null)]
    [InlineData("imap://mail.example.org/INBOX/;UID=2", "INBOX", null, 2u, null, null, null)]
    [InlineData("imap://charlie%40alpha.example.org;AUTH=*@127.0.0.1:143/Drafts;UIDVALIDITY=9/;UID=2", "Drafts", 9u, 2u, null, null, null)]
    public void MessageAndPartUrlsAreParsed(string text, string? mailbox, uint? validity, uint uid, string? section, long? offset, long? length)
    {
        Assert.Equal(new ImapUrl(mailbox, validity, uid, section, offset, length), Parse(text));
    }

    [Theory]
    [InlineData("/INBOX")]
    [InlineData("/INBOX;UID=1")]
    [InlineData("/INBOX/;UIDVALIDITY=1/;UID=1")]
    [InlineData("/INBOX/;UID=0")]
    [InlineData("/INBOX/;UID=01")]
    [InlineData("/INBOX/;UID=4294967296")]
    [InlineData("/INBOX/;UID=1/")]
    [InlineData("/INBOX/;UID=1;SECTION=1")]
    [InlineData("/INBOX/;SECTION=1/;UID=1")]
    [InlineData("/INBOX/;UID=1/;PARTIAL=1.0")]
    [InlineData("/INBOX/;UID=1/;PARTIAL=0.1/;SECTION=1")]
    [InlineData("/INBOX/;UID=1/;URLAUTH=anonymous:internal:abc")]
    [InlineData("/INBOX/;UID=1/;EXPIRE=2030-01-01T00:00:00Z")]
    [InlineData("/INBOX?SUBJECT%20x")]
    [InlineData("/INBOX/;UID=1 x")]
    [InlineData("/%FF/;UID=1")]
    [InlineData("/%00/;UID=1")]
    [InlineData("/%4/;UID=1")]
    [InlineData("//;UID=1")]
    [InlineData("/;UID=1")]
    [InlineData("/;VSenAt/")]
    [InlineData("/A//B/;UID=1")]
    [InlineData("/A%2F;UIDVALIDITY=1/;UID=1")]
    [InlineData("INBOX/;UID=1")]
    [InlineData("../INBOX/;UID=1")]
    [InlineData(";UIDVALIDITY=1/;UID=1")]
    [InlineData("imap://other.example.org/INBOX/;UID=1")]
    [InlineData("imap://samt%40example.org@mail.example.org/INBOX/;UID=1")]
    [InlineData("imap://mail.example.org:99999/INBOX/;UID=1")]
    [InlineData("imap://mail.example.org")]
    [InlineData("http://mail.example.org/INBOX/;UID=1")]
    [InlineData("")]
    public void AnythingElseIsNotAUrlOfThisUsersMessages(string text)
    {
        Assert.False(ImapUrl.TryParse(text, User, IsThisServer, out _), text);
    }
}

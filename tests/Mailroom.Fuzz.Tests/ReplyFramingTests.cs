using System.Text;
using Mailroom.Fuzz.Sessions;

namespace Mailroom.Fuzz.Tests;

public sealed class ReplyFramingTests
{
    [Theory]
    [InlineData("220 mx ESMTP\r\n250-mx\r\n250 SIZE 100\r\n")]
    [InlineData("")]
    public void WellFormedSmtpRepliesPass(string replies) => Assert.Null(Check(ReplyFraming.Protocol.Smtp, replies));

    [Theory]
    [InlineData("555 5.5.4 Unsupported option: X=a\rb\r\n", "bare CR")]
    [InlineData("250 ok\n", "bare LF")]
    [InlineData("250 ok\r\nforged line\r\n", "SMTP reply line")]
    [InlineData("250 nul\0\r\n", "NUL")]
    [InlineData("25\r\n", "shorter than a code")]
    [InlineData("250 cut", "end inside a line")]
    public void BrokenSmtpFramingIsReported(string replies, string error) =>
        Assert.Contains(error, Check(ReplyFraming.Protocol.Smtp, replies), StringComparison.Ordinal);

    [Fact]
    public void ImapLiteralsMayHoldAnyBytes()
    {
        Assert.Null(Check(ReplyFraming.Protocol.Imap, "* 1 FETCH (BODY[] {7}\r\na\rb\nc\0)\r\na OK done\r\n"));
    }

    [Fact]
    public void ImapRepliesCutInsideALiteralAreReported()
    {
        Assert.Contains("inside a line or a literal", Check(ReplyFraming.Protocol.Imap, "* 1 FETCH (BODY[] {7}\r\nabc"), StringComparison.Ordinal);
    }

    [Fact]
    public void FramingIsCheckedWhereverTheRepliesAreSplit()
    {
        byte[] replies = Encoding.ASCII.GetBytes("* 1 FETCH (BODY[] {3}\r\n\r\n.)\r\na OK x\r\nb BAD y\rz\r\n");
        for (int split = 0; split <= replies.Length; split++)
        {
            var framing = new ReplyFraming(ReplyFraming.Protocol.Imap);
            framing.Feed(replies.AsSpan(0, split));
            framing.Feed(replies.AsSpan(split));
            framing.Complete();
            Assert.Contains("bare CR", framing.Error, StringComparison.Ordinal);
        }
    }

    private static string? Check(ReplyFraming.Protocol protocol, string replies)
    {
        var framing = new ReplyFraming(protocol);
        framing.Feed(Encoding.ASCII.GetBytes(replies));
        framing.Complete();
        return framing.Error;
    }
}

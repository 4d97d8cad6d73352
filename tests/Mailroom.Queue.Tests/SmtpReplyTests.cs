using Mailroom.Queue.Delivery.Remote;

namespace Mailroom.Queue.Tests;

/// <summary>The status a DSN reports for a remote server's reply: its RFC 3463 code when it has a valid one of the reply's class.</summary>
public sealed class SmtpReplyTests
{
    [Theory]
    [InlineData(550, "5.1.1 <a@example.net>: Recipient address rejected", "5.1.1")]
    [InlineData(451, "4.7.1 Try again later", "4.7.1")]
    [InlineData(250, "2.0.0 Ok: queued as 1A2B3C", "2.0.0")]
    [InlineData(552, "  5.123.999 too big", "5.123.999")]
    public void AnEnhancedCodeOfTheRepliesClassIsTaken(int code, string text, string status) =>
        Assert.Equal(status, SmtpReply.Dsn(code, text));

    [Theory]
    [InlineData(550, "5..1 no subject", "5.0.0")]
    [InlineData(550, "5.1. no detail", "5.0.0")]
    [InlineData(550, "5.1234.1 subject of four digits", "5.0.0")]
    [InlineData(550, "5.1.1234 detail of four digits", "5.0.0")]
    [InlineData(550, "5.1.x not digits", "5.0.0")]
    [InlineData(550, "4.1.1 another class", "5.0.0")]
    [InlineData(421, "4.4.2.1 too many parts", "4.0.0")]
    [InlineData(888, "8.1.1 a class RFC 3463 has not", "5.0.0")]
    [InlineData(888, "8..6888888", "5.0.0")]
    public void AnythingElseGivesTheClassDefault(int code, string text, string status) =>
        Assert.Equal(status, SmtpReply.Dsn(code, text));
}

using System.Text;
using Mailroom.Core;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Tests.Protocol;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("mail FROM:<a@b.example>", "MAIL", "FROM:<a@b.example>")]
    [InlineData("Ehlo  client.example  ", "EHLO", "client.example")]
    [InlineData("QUIT", "QUIT", "")]
    public void VerbsAreUpperCasedAndArgumentsTrimmed(string line, string verb, string argument)
    {
        Assert.True(SmtpCommandLine.TryParse(Encoding.UTF8.GetBytes(line), out SmtpCommandLine command));
        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, command.Argument);
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        Assert.False(SmtpCommandLine.TryParse([.. "RCPT TO:<"u8, 0xC3, 0x28, .. ">"u8], out _));
    }

    [Theory]
    [InlineData("FROM:<samt@example.org>", "samt@example.org")]
    [InlineData("from: <samt@example.org>", "samt@example.org")]
    [InlineData("FROM:<>", "")]
    [InlineData("FROM:samt@example.org", "samt@example.org")]
    [InlineData("FROM:<@relay.example,@other.example:samt@example.org>", "samt@example.org")]
    [InlineData("FROM:<\"odd>name\"@example.org>", "\"odd>name\"@example.org")]
    public void MailPathsAreParsed(string argument, string sender)
    {
        Assert.Null(MailCommandParser.TryParse(argument, out MailRequest? request));
        Assert.Equal(sender, request!.Sender);
    }

    [Fact]
    public void MailParametersAreParsed()
    {
        Assert.Null(MailCommandParser.TryParse("FROM:<a@b.example> size=1234 BODY=8bitmime SMTPUTF8 RET=HDRS ENVID=QQ+2B1 AUTH=<>", out MailRequest? request));
        Assert.Equal(1234, request!.DeclaredSize);
        Assert.Equal(BodyType.EightBitMime, request.BodyType);
        Assert.True(request.SmtpUtf8);
        Assert.Equal(DsnReturn.Headers, request.Return);
        Assert.Equal("QQ+1", request.EnvelopeId);
        Assert.Equal("<>", request.AuthParameter);
    }

    [Theory]
    [InlineData("FROM:<a@b.example> FOO=1", "555 5.5.4 Unsupported option: FOO=1")]
    [InlineData("FROM:<a@b.example> SIZE=x", "501 5.5.4 Bad message size syntax")]
    [InlineData("FROM:<a@b.example> BODY=9BIT", "501 5.5.4 Bad BODY keyword syntax")]
    [InlineData("FROM:<a@b.example> ENVID=a+zz", "501 5.5.4 Bad ENVID parameter syntax")]
    [InlineData("FROM:<a@b.example> RET=ALL", "501 5.5.4 Bad RET parameter syntax")]
    [InlineData("TO:<a@b.example>", "501 5.5.4 Syntax: MAIL FROM:<address>")]
    [InlineData("FROM:<a@b.example", "501 5.5.4 Syntax: MAIL FROM:<address>")]
    [InlineData("FROM:<not an address>", "501 5.1.7 Bad sender address syntax")]
    [InlineData("FROM:<jörg@example.org>", "553 5.6.7 <jörg@example.org>: non-ASCII address requires SMTPUTF8")]
    public void BadMailCommandsGetTheirReply(string argument, string reply)
    {
        Assert.Equal(reply, MailCommandParser.TryParse(argument, out _)?.ToString());
    }

    [Fact]
    public void NonAsciiSenderIsAcceptedWithSmtpUtf8()
    {
        Assert.Null(MailCommandParser.TryParse("FROM:<jörg@exämple.org> SMTPUTF8", out MailRequest? request));
        Assert.Equal("jörg@exämple.org", request!.Sender);
    }

    [Fact]
    public void RcptParametersAreParsed()
    {
        Assert.Null(RcptCommandParser.TryParse("TO:<bob@example.org> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;bob+40example.org", smtpUtf8: false, out RcptRequest? request));
        Assert.Equal("bob@example.org", request!.Address);
        Assert.Equal(DsnNotify.Success | DsnNotify.Delay, request.Notify);
        Assert.Equal("rfc822;bob+40example.org", request.OriginalRecipient);
    }

    [Theory]
    [InlineData("TO:<Postmaster>")]
    [InlineData("to: <postmaster>")]
    public void BarePostmasterIsAccepted(string argument)
    {
        Assert.Null(RcptCommandParser.TryParse(argument, smtpUtf8: false, out RcptRequest? request));
        Assert.True(request!.IsBarePostmaster);
    }

    [Theory]
    [InlineData("TO:<a@b.example> NOTIFY=NEVER,SUCCESS", "501 5.5.4 Error: Bad NOTIFY parameter syntax")]
    [InlineData("TO:<a@b.example> ORCPT=noseparator", "501 5.5.4 Error: Bad ORCPT parameter syntax")]
    [InlineData("TO:<a@b.example> SIZE=1", "555 5.5.4 Unsupported option: SIZE=1")]
    [InlineData("TO:<>", "501 5.5.4 Syntax: RCPT TO:<address>")]
    [InlineData("TO:<user>", "501 5.1.3 Bad recipient address syntax")]
    [InlineData("TO:<ü@b.example>", "553 5.6.7 <ü@b.example>: non-ASCII address requires SMTPUTF8")]
    public void BadRcptCommandsGetTheirReply(string argument, string reply)
    {
        Assert.Equal(reply, RcptCommandParser.TryParse(argument, smtpUtf8: false, out _)?.ToString());
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a+2Bb+3D", "a+b=")]
    [InlineData("+2b", null)]
    [InlineData("a=b", null)]
    [InlineData("a+2", null)]
    public void XtextIsDecoded(string text, string? decoded)
    {
        Assert.Equal(decoded, Xtext.Decode(text));
    }
}

using Mailroom.Smtp.Server;
using Mailroom.Smtp.Server.Commands;

namespace Mailroom.Smtp.Tests.Server;

public sealed class SessionPartsTests
{
    [Theory]
    [InlineData("MAIL", (int)(SmtpState.Greeted))]
    [InlineData("RCPT", (int)(SmtpState.Mail | SmtpState.Rcpt))]
    [InlineData("DATA", (int)(SmtpState.Rcpt))]
    [InlineData("BDAT", (int)(SmtpState.Rcpt | SmtpState.Bdat))]
    [InlineData("AUTH", (int)(SmtpState.Greeted))]
    [InlineData("STARTTLS", (int)(SmtpState.Connected | SmtpState.Greeted))]
    [InlineData("QUIT", (int)(SmtpState.Any))]
    [InlineData("RSET", (int)(SmtpState.Any))]
    public void CommandTableAllowsEachCommandOnlyInItsStates(string verb, int allowed)
    {
        Assert.Equal((SmtpState)allowed, SmtpCommandTable.Commands[verb].Allowed);
    }

    [Fact]
    public void EveryCommandOfTheRfcIsInTheTable()
    {
        Assert.Equal(
            ["AUTH", "BDAT", "DATA", "EHLO", "HELO", "HELP", "MAIL", "NOOP", "QUIT", "RCPT", "RSET", "STARTTLS", "VRFY"],
            SmtpCommandTable.Commands.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CountersFollowPostfixFormat()
    {
        var counters = new CommandCounters();
        counters.Record("EHLO", true);
        counters.Record("MAIL", true);
        counters.Record("RCPT", false);
        counters.Record("RCPT", true);
        counters.Record("unknown", false);
        counters.Record("QUIT", true);
        Assert.Equal("ehlo=1 mail=1 rcpt=1/2 quit=1 unknown=0/1 commands=4/6", counters.ToString());
    }

    [Theory]
    [InlineData("100", 100, false)]
    [InlineData("0 LAST", 0, true)]
    [InlineData("5 last", 5, true)]
    public void BdatArgumentsAreParsed(string argument, long size, bool last)
    {
        Assert.True(BdatCommand.TryParse(argument, out long parsedSize, out bool parsedLast));
        Assert.Equal(size, parsedSize);
        Assert.Equal(last, parsedLast);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("10 FIRST")]
    [InlineData("1 LAST x")]
    public void BadBdatArgumentsAreRefused(string argument)
    {
        Assert.False(BdatCommand.TryParse(argument, out _, out _));
    }

    [Fact]
    public void OptionsValidationNamesTheBadTrustedNetwork()
    {
        var options = new SmtpOptions { Hostname = "mx.example.org" };
        options.TrustedNetworks.Add("10.0.0.0/33");
        var result = new SmtpOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Smtp:TrustedNetworks", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/33", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultOptionsAreValid()
    {
        Assert.True(new SmtpOptionsValidator().Validate(null, new SmtpOptions()).Succeeded);
    }

    [Fact]
    public void OptionsValidationNamesOutOfRangeKeys()
    {
        var result = new SmtpOptionsValidator().Validate(null, new SmtpOptions { MaxLineLength = 100, MaxRecipients = 1 });
        Assert.Contains("Smtp:MaxLineLength", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Smtp:MaxRecipients", result.FailureMessage, StringComparison.Ordinal);
    }
}

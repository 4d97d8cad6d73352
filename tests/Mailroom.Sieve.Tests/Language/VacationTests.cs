using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>When a vacation reply is due (RFC 5230 §4.5-4.6, RFC 3834, Pigeonhole's rules) and for how long.</summary>
public sealed class VacationTests
{
    private const string Script = "require \"vacation\"; vacation :days 3 \"I am away.\";";

    private static string Message(string headers = "", string to = "samt@example.org") => $"""
        From: sender@example.com
        To: {to}
        Subject: hello
        Message-ID: <m1@example.com>
        {headers}

        Hi.

        """;

    private static VacationAction Vacation(string script, string message, TestHost? host = null, SieveEnvelope? envelope = null, SieveRuntimeSettings? settings = null) =>
        Assert.Single(SieveTestKit.Run(script, message, host, envelope, settings).Actions.OfType<VacationAction>());

    [Fact]
    public void ReplyIsDueForMailAddressedToTheUser()
    {
        VacationAction vacation = Vacation(Script, Message());

        Assert.True(vacation.Send, vacation.SkipReason);
        Assert.Equal("sender@example.com", vacation.Recipient);
        Assert.Equal("samt@example.org", vacation.ReplyFrom);
        Assert.Equal(TimeSpan.FromDays(3), vacation.Period);
    }

    [Theory]
    [InlineData("List-Id: <news.example.com>", "mailinglist")]
    [InlineData("Precedence: bulk", "precedence=bulk")]
    [InlineData("Precedence: junk", "precedence=junk")]
    [InlineData("Auto-Submitted: auto-replied", "auto-submitted")]
    [InlineData("X-Auto-Response-Suppress: OOF, DR", "x-auto-response-suppress")]
    public void NoReplyToListsOrAutomaticMail(string header, string reason)
    {
        VacationAction vacation = Vacation(Script, Message(header));

        Assert.False(vacation.Send);
        Assert.Contains(reason, vacation.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoSubmittedNoStillGetsAReply() => Assert.True(Vacation(Script, Message("Auto-Submitted: no")).Send);

    [Theory]
    [InlineData("", "reply to <>")]
    [InlineData("MAILER-DAEMON@example.com", "system address")]
    [InlineData("owner-list@example.com", "system address")]
    [InlineData("list-request@example.com", "system address")]
    [InlineData("samt@example.org", "own address")]
    public void NoReplyToTheNullSenderSystemAddressesOrTheUser(string sender, string reason)
    {
        VacationAction vacation = Vacation(Script, Message(), envelope: SieveTestKit.Envelope with { From = sender });

        Assert.False(vacation.Send);
        Assert.Contains(reason, vacation.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoReplyWhenTheUserIsNotAnAddresseeUnlessAddressesSaysSo()
    {
        string message = Message(to: "team@example.org");

        Assert.Contains("implicitly delivered", Vacation(Script, message).SkipReason, StringComparison.Ordinal);
        Assert.True(Vacation("require \"vacation\"; vacation :addresses \"team@example.org\" \"Away.\";", message).Send);
    }

    [Fact]
    public void SenderAnsweredWithinThePeriodGetsNoSecondReply()
    {
        var host = new TestHost();
        VacationAction first = Vacation(Script, Message(), host);
        host.Tracked.Add(first.TrackingKey);

        VacationAction second = Vacation(Script, Message(), host);

        Assert.False(second.Send);
        Assert.Contains("duplicate vacation response", second.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentHandlesTrackRepliesApart()
    {
        VacationAction one = Vacation("require \"vacation\"; vacation :handle \"a\" \"Away.\";", Message());
        VacationAction two = Vacation("require \"vacation\"; vacation :handle \"b\" \"Away.\";", Message());

        Assert.NotEqual(one.TrackingKey, two.TrackingKey);
    }

    [Fact]
    public void PeriodIsHeldBetweenTheSiteMinimumAndMaximum()
    {
        var settings = new SieveRuntimeSettings { VacationMinPeriod = TimeSpan.FromDays(1), VacationMaxPeriod = TimeSpan.FromDays(30) };

        Assert.Equal(TimeSpan.FromDays(1), Vacation("require \"vacation-seconds\"; vacation :seconds 60 \"x\";", Message(), settings: settings).Period);
        Assert.Equal(TimeSpan.FromDays(30), Vacation("require \"vacation\"; vacation :days 365 \"x\";", Message(), settings: settings).Period);
        Assert.Equal(TimeSpan.FromDays(7), Vacation("require \"vacation\"; vacation \"x\";", Message(), settings: settings).Period);
    }
}

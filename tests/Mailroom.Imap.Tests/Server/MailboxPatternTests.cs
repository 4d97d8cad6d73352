using Mailroom.Imap.Commands;

namespace Mailroom.Imap.Tests.Server;

public sealed class MailboxPatternTests
{
    [Theory]
    [InlineData("*", "INBOX", true)]
    [InlineData("*", "Work/2024/Q1", true)]
    [InlineData("%", "Work", true)]
    [InlineData("%", "Work/2024", false)]
    [InlineData("Work/%", "Work/2024", true)]
    [InlineData("Work/%", "Work/2024/Q1", false)]
    [InlineData("Work/*", "Work/2024/Q1", true)]
    [InlineData("W*4", "Work/2024", true)]
    [InlineData("W%4", "Work/2024", false)]
    [InlineData("%/%/Q1", "Work/2024/Q1", true)]
    [InlineData("*%*%", "Work", true)]
    [InlineData("Work", "Work", true)]
    [InlineData("Work", "Work2", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXcYb", false)]
    public void WildcardsMatchAsRfc9051Says(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, MailboxPattern.Compile(pattern, longestName: 100).IsMatch(name));
    }

    [Fact]
    public void SixtyStarsThatCannotMatchFailInOnePass()
    {
        // The backtracking matcher took 24 s for this and went on after the client left.
        string pattern = new string('*', 60) + "zzz";
        Assert.False(MailboxPattern.Compile(pattern, longestName: 40).IsMatch("Archive/2024/Projects/Clients/Acme/Notes"));
        Assert.True(MailboxPattern.Compile(pattern, longestName: 40).IsMatch("Archive/zzz"));
        string percent = string.Concat(Enumerable.Repeat("%a", 200)) + "%";
        Assert.False(MailboxPattern.Compile(percent, longestName: 1000).IsMatch(new string('a', 199) + "/" + new string('a', 300)));
        Assert.True(MailboxPattern.Compile(percent, longestName: 1000).IsMatch(new string('a', 500)));
    }

    [Fact]
    public void PatternWithMoreCharactersThanAnyNameMatchesNothing()
    {
        Assert.False(MailboxPattern.Compile(new string('x', 1_000_000), longestName: 10).IsMatch("xxxxxxxxxx"));
        Assert.True(MailboxPattern.Compile(new string('x', 10), longestName: 10).IsMatch("xxxxxxxxxx"));
    }
}

using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class SubstringMatcherTests
{
    [Theory]
    [InlineData("café", "Un CAFÉ noir", true)]
    [InlineData("abab", "abaabab", true)]
    [InlineData("aab", "aaaaaaab", true)]
    [InlineData("aab", "aaaaaaa", false)]
    [InlineData("", "anything", true)]
    [InlineData("x", "", false)]
    [InlineData("ISTANBUL", "istanbul", true)]
    public void MatchesLikeACaseInsensitiveIndexOf(string needle, string text, bool expected)
    {
        Assert.Equal(expected, new SubstringMatcher(needle).IsFoundIn(text));
        Assert.Equal(expected, text.Contains(needle, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void RepetitiveNeedleAgainstRepetitiveTextIsLinear()
    {
        // A general IndexOf compares the needle again at every position: 100,000 × 4,000,000 steps here.
        string needle = new string('a', 100_000) + "b";
        string text = new('a', 4_000_000);
        Assert.False(new SubstringMatcher(needle).IsFoundIn(text));
        Assert.True(new SubstringMatcher(needle).IsFoundIn(text + "b"));
    }

    [Fact]
    public void MatchersWithTheSameNeedleAreEqual()
    {
        Assert.Equal(new SubstringMatcher("x"), new SubstringMatcher("x"));
        Assert.NotEqual(new SubstringMatcher("x"), new SubstringMatcher("X"));
    }
}

using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>RFC 5256 §2.1, one rule at a time.</summary>
public sealed class BaseSubjectTests
{
    [Theory]
    // (1) Encoded words decoded, tabs and runs of blanks one space.
    [InlineData("hello  \t world", "hello world", false)]
    [InlineData("=?UTF-8?Q?caf=C3=A9_cr=C3=A8me?=", "café crème", false)]
    [InlineData("=?UTF-8?Q?Re=3A_caf=C3=A9?=", "café", true)]
    // (2) Trailing "(fwd)" and blanks, repeatedly.
    [InlineData("hello (fwd)", "hello", true)]
    [InlineData("hello (FWD) (fwd)   ", "hello", true)]
    [InlineData("hello   ", "hello", false)]
    // (3) subj-leader: blanks, and *subj-blob subj-refwd, repeatedly.
    [InlineData("Re: hello", "hello", true)]
    [InlineData("RE: Re: re: hello", "hello", true)]
    [InlineData("Re:hello", "hello", true)]
    [InlineData("Re : hello", "hello", true)]
    [InlineData("Fwd: hello", "hello", true)]
    [InlineData("FW: hello", "hello", true)]
    [InlineData("Re[2]: hello", "hello", true)]
    [InlineData("Re [list]: hello", "hello", true)]
    [InlineData("[list] Re: hello", "hello", true)]
    [InlineData("[a] [b] Fwd: [c] Re: hello", "hello", true)]
    [InlineData("   hello", "hello", false)]
    // Words that only start like a marker stay.
    [InlineData("Reply: hello", "Reply: hello", false)]
    [InlineData("Regarding the plan", "Regarding the plan", false)]
    [InlineData("Fwding", "Fwding", false)]
    // (4) A leading blob goes only when a non-empty base subject remains.
    [InlineData("[list] hello", "hello", false)]
    [InlineData("[a][b] hello", "hello", false)]
    [InlineData("[list]", "[list]", false)]
    [InlineData("[a] [b]", "[b]", false)]
    // (5) (3) and (4) repeat until neither matches.
    [InlineData("[list] hello [x]", "hello [x]", false)]
    [InlineData("[list] [other] Re: hello", "hello", true)]
    // (6) "[fwd:" ... "]" is unwrapped and the rules start again at (2).
    [InlineData("[Fwd: hello]", "hello", true)]
    [InlineData("[fwd: Re: hello (fwd)]", "hello", true)]
    [InlineData("Re: [Fwd: [Fwd: hello]]", "hello", true)]
    [InlineData("[Fwd: hello", "[Fwd: hello", false)]
    // Nothing at all.
    [InlineData("", "", false)]
    [InlineData("Re:", "", true)]
    [InlineData("(fwd)", "", true)]
    public void BaseSubjectFollowsEachRule(string subject, string expected, bool isReply)
    {
        string actual = BaseSubject.Extract(subject, out bool reply);
        Assert.Equal(expected, actual);
        Assert.Equal(isReply, reply);
    }

    [Fact]
    public void MissingSubjectIsEmpty()
    {
        Assert.Equal(string.Empty, BaseSubject.Extract(null, out bool reply));
        Assert.False(reply);
    }

    [Fact]
    public void CaseIsKeptWhileMarkersAreMatchedInAnyCase()
    {
        Assert.Equal("Meeting Notes", BaseSubject.Extract("rE: fWd: Meeting Notes", out _));
    }

    [Fact]
    public void TensOfThousandsOfStackedMarkersAndBlobsAreRemovedInOnePass()
    {
        string blobs = string.Concat(Enumerable.Repeat("[a]", 50_000)) + "x";
        Assert.Equal("x", BaseSubject.Extract(blobs, out _));

        string replies = string.Concat(Enumerable.Repeat("Re: [l] ", 50_000)) + "y";
        Assert.Equal("y", BaseSubject.Extract(replies, out bool reply));
        Assert.True(reply);

        string forwards = string.Concat(Enumerable.Repeat("[Fwd: ", 20_000)) + "z" + new string(']', 20_000);
        Assert.Equal("z", BaseSubject.Extract(forwards, out _));
    }
}

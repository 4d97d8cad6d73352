using static Mailroom.Imap.Tests.Protocol.Sorting.ThreadTestMessages;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>THREAD=ORDEREDSUBJECT, RFC 5256 §3.</summary>
public sealed class OrderedSubjectThreaderTests
{
    [Fact]
    public void MessagesOfOneBaseSubjectHangUnderTheEarliest()
    {
        Assert.Equal("(2 (1)(4))(3)", OrderedSubject(
            Message(1, "a", "Re: lunch", 5),
            Message(2, "b", "Lunch", 1),
            Message(3, "c", "Dinner", 3),
            Message(4, "d", "[team] Lunch (fwd)", 7)));
    }

    [Fact]
    public void AThreadOfTwoIsOneListOfMembers()
    {
        Assert.Equal("(1 2)", OrderedSubject(Message(1, "a", "x", 0), Message(2, "b", "Re: x", 1)));
    }

    [Fact]
    public void ThreadsAreOrderedByTheirFirstMessageThenByMailboxOrder()
    {
        Assert.Equal("(2)(1)(3)", OrderedSubject(
            Message(1, "a", "b-subject", 4),
            Message(2, "b", "a-subject", 2),
            Message(3, "c", "c-subject", 4)));
    }

    [Fact]
    public void ReferencesPlayNoPart()
    {
        Assert.Equal("(1)(2)", OrderedSubject(Message(1, "a", "one", 0), Message(2, "b", "two", 1, "a")));
    }
}

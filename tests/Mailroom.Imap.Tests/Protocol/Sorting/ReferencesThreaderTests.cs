using Mailroom.Imap.Protocol.Sorting;
using static Mailroom.Imap.Tests.Protocol.Sorting.ThreadTestMessages;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>THREAD=REFERENCES, RFC 5256 §3, step by step.</summary>
public sealed class ReferencesThreaderTests
{
    [Fact]
    public void AReplyChainIsOneListOfMembers()
    {
        Assert.Equal("(1 2 3)", References(
            Message(1, "a", "topic", 0),
            Message(2, "b", "Re: topic", 1, "a"),
            Message(3, "c", "Re: topic", 2, "a", "b")));
    }

    [Fact]
    public void SiblingsAreNestedListsInDateOrder()
    {
        Assert.Equal("(1 (3)(2 4))", References(
            Message(1, "a", "topic", 0),
            Message(2, "b", "Re: topic", 5, "a"),
            Message(3, "c", "Re: topic", 2, "a"),
            Message(4, "d", "Re: topic", 6, "a", "b")));
    }

    [Fact]
    public void StepOneALinksTheReferencesOfAMessageWhoseAncestorsAreMissing()
    {
        // Message 2 names a, b; neither is here: the dummies are pruned, 1 and 2 stay linked through them.
        Assert.Equal("(1 2)", References(
            Message(1, "x", "one", 0),
            Message(2, "y", "two", 1, "x", "b")));
    }

    [Fact]
    public void StepOneBReplacesAParentGivenByATruncatedReferencesList()
    {
        // 2 said c's parent is a; c itself (4) names a, b. The message's own References win: a → b → c → d.
        Assert.Equal("(1 3 4 2)", References(
            Message(1, "a", "s", 0),
            Message(2, "d", "Re: s", 3, "a", "c"),
            Message(3, "b", "Re: s", 1, "a"),
            Message(4, "c", "Re: s", 2, "a", "b")));
    }

    [Fact]
    public void StepOneBDropsTheOldParentEvenWhenTheNewLinkWouldLoop()
    {
        // 2 put c under a and itself under c; c (3) names b, its own child: it leaves a and starts the thread.
        Assert.Equal("(3 2)(1)", References(
            Message(1, "a", "x", 2),
            Message(2, "b", "y", 1, "a", "c"),
            Message(3, "c", "z", 0, "b")));
    }

    [Fact]
    public void AMessageWithoutReferencesHasNoParent()
    {
        Assert.Equal("(1)(2)", References(
            Message(1, "a", "first", 0),
            Message(2, "b", "second", 1)));
    }

    [Fact]
    public void StepFourKeepsADummyAtTheTopHoldingSeveralChildren()
    {
        // Both reply to a missing message: a dummy holds them, shown as nested lists only.
        Assert.Equal("((1)(2))", References(
            Message(1, "b", "one", 0, "missing"),
            Message(2, "c", "two", 1, "missing")));
    }

    [Fact]
    public void StepFourPromotesTheOnlyChildOfADummyAtTheTop()
    {
        Assert.Equal("(1)", References(Message(1, "b", "one", 0, "missing")));
    }

    [Fact]
    public void StepFourSplicesTheChildrenOfADummyBelowTheTop()
    {
        // a → (missing m) → b, c: b and c become a's children.
        Assert.Equal("(1 (2)(3))", References(
            Message(1, "a", "s", 0),
            Message(2, "b", "s", 1, "a", "m"),
            Message(3, "c", "s", 2, "a", "m")));
    }

    [Fact]
    public void StepFiveMakesAReplyAChildOfTheOriginalWithTheSameBaseSubject()
    {
        Assert.Equal("(1 2)(3)", References(
            Message(1, "a", "Lunch", 0),
            Message(2, "b", "Re: lunch", 1),
            Message(3, "c", "Other", 2)));
    }

    [Fact]
    public void StepFiveGathersTwoOriginalsOfOneSubjectUnderADummy()
    {
        Assert.Equal("((1)(2))", References(
            Message(1, "a", "Lunch", 0),
            Message(2, "b", "Lunch", 1)));
    }

    [Fact]
    public void StepFivePutsAThreadUnderADummyOfTheSameSubject()
    {
        Assert.Equal("((1)(2)(3))", References(
            Message(1, "b", "Lunch", 0, "missing"),
            Message(2, "c", "Re: Lunch", 1, "missing"),
            Message(3, "d", "Lunch", 2)));
    }

    [Fact]
    public void StepFiveLeavesMessagesWithAnEmptySubjectAlone()
    {
        Assert.Equal("(1)(2)", References(
            Message(1, "a", "", 0),
            Message(2, "b", "Re:", 1)));
    }

    [Fact]
    public void StepSixOrdersThreadsByTheirFirstMessageAndADummyByItsFirstChild()
    {
        Assert.Equal("(3)((2)(1))", References(
            Message(1, "b", "one", 9, "missing"),
            Message(2, "c", "two", 5, "missing"),
            Message(3, "d", "three", 1)));
    }

    [Fact]
    public void EqualOrMissingDatesKeepMailboxOrderAndFallBackToTheInternalDate()
    {
        Assert.Equal("(1)(2)(3)", References(
            Message(1, "a", "x", 5),
            Message(2, "b", "y", 5),
            Message(3, "c", "z", null)));
    }

    [Fact]
    public void DuplicateMessageIdsKeepEveryMessage()
    {
        Assert.Equal("(1 3)(2)", References(
            Message(1, "a", "s", 0),
            Message(2, "a", "other", 1),
            Message(3, "b", "s", 2, "a")));
    }

    [Fact]
    public void ReferenceLoopsAreNotLinked()
    {
        string threads = References(
            Message(1, "a", "one", 0, "b"),
            Message(2, "b", "two", 1, "a"),
            Message(3, "c", "three", 2, "c"));
        Assert.Equal("(2 1)(3)", threads);
    }

    [Fact]
    public void AMessageReferencingItselfAmongOthersIsNotItsOwnAncestor()
    {
        Assert.Equal("(1 2)", References(
            Message(1, "a", "s", 0),
            Message(2, "b", "s", 1, "a", "b", "a")));
    }

    [Fact]
    public void AReplyChainAsLongAsTheMailboxNeedsNoDeepStack()
    {
        const int Count = 100_000;
        var messages = new SortableMessage[Count];
        messages[0] = Message(1, "m0", "chain", 0);
        for (int i = 1; i < Count; i++)
        {
            messages[i] = Message(i + 1, "m" + i, "Re: chain", i, "m" + (i - 1));
        }

        string threads = References(messages);
        Assert.StartsWith("(1 2 3 4 ", threads, StringComparison.Ordinal);
        Assert.EndsWith(" 99999 100000)", threads, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileLoopsAndChainsCostBoundedWork()
    {
        // Every message names the same 100 ids, the latest first: each pair would close a loop.
        string[] backwards = [.. Enumerable.Range(0, 100).Reverse().Select(i => "r" + i)];
        var messages = Enumerable.Range(1, 20_000)
            .Select(i => Message(i, "r" + (i % 150), "s" + (i % 7), i, backwards))
            .ToArray();
        string threads = References(messages);
        Assert.Equal(20_000, threads.Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ADeeperChainThanTheLoopCheckAllowsIsCutRatherThanWalked()
    {
        // a → b → c (1); y (3) has a child (2) and goes under c: the check walks c's two ancestors.
        SortableMessage[] messages =
        [
            Message(1, "c", "one", 0, "a", "b"),
            Message(2, "w", "two", 2, "y"),
            Message(3, "y", "three", 1, "a", "b", "c"),
        ];
        Assert.Equal("(1 3 2)", Format(ReferencesThreader.Thread(messages, maxLoopCheck: 2, TestContext.Current.CancellationToken)));
        Assert.Equal("(1)(3 2)", Format(ReferencesThreader.Thread(messages, maxLoopCheck: 1, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void ThreadingStopsWhenCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => ReferencesThreader.Thread([Message(1, "a")], 1000, cancelled.Token));
    }
}

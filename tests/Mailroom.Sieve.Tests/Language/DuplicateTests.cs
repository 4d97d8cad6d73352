using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>RFC 7352: records only after a successful run, one answer per execution, false without an id.</summary>
public sealed class DuplicateTests
{
    private const string Script = "require [\"duplicate\", \"fileinto\"]; if duplicate { fileinto \"Dup\"; }";

    [Fact]
    public void FirstMessageIsNotADuplicateAndIsRecorded()
    {
        SieveResult result = SieveTestKit.Run(Script);

        Assert.Empty(result.Actions);
        Assert.Single(result.Marks);
    }

    [Fact]
    public void RecordedIdIsADuplicateNextTime()
    {
        var host = new TestHost();
        host.Tracked.Add(SieveTestKit.Run(Script).Marks[0].Key);

        SieveResult again = SieveTestKit.Run(Script, host: host);

        Assert.Equal("Dup", Assert.IsType<StoreMessageAction>(Assert.Single(again.Actions)).Folder);
        Assert.Empty(again.Marks);
    }

    [Fact]
    public void SameTestTwiceInOneExecutionAnswersTheSame()
    {
        SieveResult result = SieveTestKit.Run("require [\"duplicate\", \"fileinto\"]; if duplicate { fileinto \"A\"; } if duplicate { fileinto \"B\"; }");

        Assert.Empty(result.Actions);
        Assert.Single(result.Marks);
    }

    [Fact]
    public void MessageWithoutMessageIdIsNeverADuplicateAndNothingIsRecorded()
    {
        SieveResult result = SieveTestKit.Run(Script, "From: a@example.com\r\n\r\nx\r\n");

        Assert.Empty(result.Marks);
    }

    [Fact]
    public void FailedRunRecordsNothing()
    {
        SieveResult result = SieveTestKit.Run("require [\"duplicate\", \"ihave\"]; if duplicate { keep; } error \"stop\";");

        Assert.NotNull(result.Error);
        Assert.Empty(result.Marks);
    }
}

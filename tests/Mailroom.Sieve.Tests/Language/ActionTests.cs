using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>The result: keeps, duplicates, conflicts, and every run-time bound on both sides.</summary>
public sealed class ActionTests
{
    private static string Redirects(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"redirect \"r{i}@example.net\";\n"));

    [Fact]
    public void EmptyScriptKeepsTheMessage()
    {
        SieveResult result = SieveTestKit.Run("");

        Assert.True(result.ImplicitKeep);
        Assert.Empty(result.Actions);
    }

    [Fact]
    public void RedirectsUpToTheLimitRunAndOneMoreFailsTheRun()
    {
        SieveResult four = SieveTestKit.Run(Redirects(4));
        SieveResult five = SieveTestKit.Run(Redirects(5));

        Assert.Null(four.Error);
        Assert.Equal(4, four.Actions.Count);
        Assert.Contains("redirect actions exceeds policy limit (5 > 4)", five.Error, StringComparison.Ordinal);
        Assert.Empty(five.Actions);
        Assert.True(five.ImplicitKeep);
    }

    [Fact]
    public void ActionsUpToTheLimitRunAndOneMoreFailsTheRun()
    {
        static string Stores(int count) => "require \"fileinto\";\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"fileinto \"f{i}\";\n"));
        var settings = new SieveRuntimeSettings { MaxActions = 5 };

        Assert.Null(SieveTestKit.Run(Stores(5), settings: settings).Error);
        Assert.Contains("exceeds policy limit (6 > 5)", SieveTestKit.Run(Stores(6), settings: settings).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StepLimitStopsACostlyRunAndTheMessageIsKept()
    {
        string script = "require \"fileinto\";\nfileinto \"a\";\n" + string.Concat(Enumerable.Repeat("if header :contains \"subject\" [\"x\", \"y\", \"z\"] { keep; }\n", 10));

        Assert.Null(SieveTestKit.Run(script, settings: new SieveRuntimeSettings { MaxSteps = 100 }).Error);
        SieveResult limited = SieveTestKit.Run(script, settings: new SieveRuntimeSettings { MaxSteps = 20 });
        Assert.Contains("step limit", limited.Error, StringComparison.Ordinal);
        Assert.Empty(limited.Actions);
        Assert.True(limited.ImplicitKeep);
    }

    [Fact]
    public void RejectAfterFileintoFailsTheRunAndKeeps()
    {
        SieveResult result = SieveTestKit.Run("require [\"fileinto\", \"reject\"]; fileinto \"a\"; reject \"no\";");

        Assert.Contains("conflicts with other action", result.Error, StringComparison.Ordinal);
        Assert.True(result.ImplicitKeep);
        Assert.Empty(result.Actions);
    }

    [Fact]
    public void ErejectIsARejectWithSmtpText()
    {
        SieveResult result = SieveTestKit.Run("require \"ereject\"; ereject \"550 go away\";");

        RejectMessageAction reject = Assert.IsType<RejectMessageAction>(Assert.Single(result.Actions));
        Assert.True(reject.Extended);
        Assert.False(result.ImplicitKeep);
    }

    [Fact]
    public void StoresToOneFolderAreMergedAndTheLaterFlagsWin()
    {
        SieveResult result = SieveTestKit.Run("require [\"fileinto\", \"imap4flags\"]; fileinto :flags \"a\" \"F\"; fileinto :flags \"\\\\Seen\" \"F\"; keep; fileinto \"inbox\";");

        Assert.Collection(result.Actions.Cast<StoreMessageAction>(),
            f => Assert.Equal(("F", "\\Seen"), (f.Folder, string.Join(' ', f.Flags))),
            i => Assert.Equal("INBOX", i.Folder));
    }

    [Fact]
    public void ImplicitKeepCarriesTheInternalFlagsWithoutInvalidOnes()
    {
        SieveResult result = SieveTestKit.Run("require \"imap4flags\"; addflag [\"\\\\seen\", \"\\\\Recent\", \"bad(flag\", \"$Label1\"];");

        Assert.Equal(["\\Seen", "$Label1"], result.ImplicitKeepFlags);
    }

    [Fact]
    public void VariableValuesAreCutAtTheSizeLimit()
    {
        var settings = new SieveRuntimeSettings { MaxVariableSize = 64 };
        SieveResult result = SieveTestKit.Run("require [\"variables\", \"fileinto\"]; set \"a\" \"" + new string('x', 100) + "\"; set :length \"n\" \"${a}\"; fileinto \"${n}\";", settings: settings);

        Assert.Equal("64", Assert.IsType<StoreMessageAction>(Assert.Single(result.Actions)).Folder);
    }

    [Fact]
    public void VariablesUpToTheLimitAreSetAndOneMoreFailsTheRun()
    {
        static string Sets(int count) => "require \"variables\";\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"set \"v{i}\" \"x\";\n"));
        var settings = new SieveRuntimeSettings { MaxVariables = 3 };

        Assert.Null(SieveTestKit.Run(Sets(3), settings: settings).Error);
        Assert.Contains("number of variables exceeds", SieveTestKit.Run(Sets(4), settings: settings).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FailingScriptLosesOnlyItsOwnActionsInASequence()
    {
        var host = new TestHost();
        using SieveMessage message = SieveTestKit.Message(SieveTestKit.SimpleMessage);
        var before = SieveTestKit.CompileOrFail("require [\"fileinto\", \"copy\"]; fileinto :copy \"Archive\";");
        var personal = SieveTestKit.CompileOrFail("require \"fileinto\"; fileinto \"Mine\";\n" + Redirects(5));

        SieveResult result = new SieveInterpreter(new SieveRuntimeSettings()).Run([before, personal], message, SieveTestKit.Envelope, host);

        Assert.NotNull(result.Error);
        Assert.Equal(["Archive"], result.Actions.OfType<StoreMessageAction>().Select(s => s.Folder));
        Assert.True(result.ImplicitKeep);
    }

    [Fact]
    public void AfterScriptRunsOnlyWhileTheImplicitKeepStands()
    {
        var host = new TestHost();
        using SieveMessage message = SieveTestKit.Message(SieveTestKit.SimpleMessage);
        var after = SieveTestKit.CompileOrFail("require \"fileinto\"; fileinto \"After\";");
        var interpreter = new SieveInterpreter(new SieveRuntimeSettings());

        SieveResult kept = interpreter.Run([SieveTestKit.CompileOrFail("keep;"), after], message, SieveTestKit.Envelope, host);
        SieveResult implicitly = interpreter.Run([SieveTestKit.CompileOrFail("# nothing"), after], message, SieveTestKit.Envelope, host);

        Assert.DoesNotContain(kept.Actions.OfType<StoreMessageAction>(), s => s.Folder == "After");
        Assert.Contains(implicitly.Actions.OfType<StoreMessageAction>(), s => s.Folder == "After");
    }

    [Fact]
    public void IncludesNestUpToTheDepthLimitAndOneDeeperFails()
    {
        var host = new TestHost();
        for (int i = 0; i < 4; i++)
        {
            host.Personal[$"s{i}"] = $"require \"include\"; include \"s{i + 1}\";";
        }

        host.Personal["s4"] = "require \"fileinto\"; fileinto \"deep\";";
        const string Script = "require \"include\"; include \"s0\";";

        Assert.Null(SieveTestKit.Run(Script, host: host, settings: new SieveRuntimeSettings { MaxIncludeDepth = 5 }).Error);
        Assert.Contains("deeper than 4", SieveTestKit.Run(Script, host: host, settings: new SieveRuntimeSettings { MaxIncludeDepth = 4 }).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CircularAndMissingIncludesFailTheRunButOptionalOnesDoNot()
    {
        var host = new TestHost();
        host.Personal["a"] = "require \"include\"; include \"b\";";
        host.Personal["b"] = "require \"include\"; include \"a\";";

        Assert.Contains("circular include", SieveTestKit.Run("require \"include\"; include \"a\";", host: host).Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", SieveTestKit.Run("require \"include\"; include \"gone\";", host: host).Error, StringComparison.Ordinal);
        Assert.Null(SieveTestKit.Run("require \"include\"; include :optional \"gone\";", host: host).Error);
    }

    [Fact]
    public void IncludeCountIsBounded()
    {
        var host = new TestHost();
        host.Personal["leaf"] = "keep;";
        string script = "require \"include\";\n" + string.Concat(Enumerable.Repeat("include \"leaf\";\n", 4));

        Assert.Null(SieveTestKit.Run(script, host: host, settings: new SieveRuntimeSettings { MaxIncludes = 4 }).Error);
        Assert.Contains("too many includes", SieveTestKit.Run(script, host: host, settings: new SieveRuntimeSettings { MaxIncludes = 3 }).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorCommandFailsTheRunWithTheAuthorsMessage()
    {
        SieveResult result = SieveTestKit.Run("require \"ihave\"; discard; error \"not today\";");

        Assert.Contains("not today", result.Error, StringComparison.Ordinal);
        Assert.True(result.ImplicitKeep);
    }
}

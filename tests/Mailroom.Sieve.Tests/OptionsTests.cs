namespace Mailroom.Sieve.Tests;

/// <summary>Sieve settings that cannot work stop the server at start-up with the key named.</summary>
public sealed class OptionsTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-sieve-options-");

    public void Dispose() => _root.Delete(recursive: true);

    private static IReadOnlyList<string> Failures(SieveOptions options) =>
        new SieveOptionsRules().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void DefaultsAreValid() => Assert.Empty(Failures(new SieveOptions()));

    [Fact]
    public void MissingOrBrokenSiteScriptIsAStartupError()
    {
        string good = Path.Combine(_root.FullName, "good.sieve");
        string bad = Path.Combine(_root.FullName, "bad.sieve");
        File.WriteAllText(good, "require \"fileinto\"; if header :contains \"x-spam-flag\" \"yes\" { fileinto \"Junk\"; }");
        File.WriteAllText(bad, "fileinto \"Junk\";");
        var options = new SieveOptions();
        options.Before.Add(good);
        options.After.Add(bad);
        options.After.Add(Path.Combine(_root.FullName, "missing.sieve"));

        IReadOnlyList<string> failures = Failures(options);

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Sieve:After:0: " + bad + ": line 1, column 1: error:", failures[0], StringComparison.Ordinal);
        Assert.EndsWith("missing.sieve' does not exist", failures[1], StringComparison.Ordinal);
    }

    [Fact]
    public void VacationDefaultOutsideTheBoundsIsRefused()
    {
        var options = new SieveOptions { VacationMinPeriod = TimeSpan.FromDays(2), VacationDefaultPeriod = TimeSpan.FromDays(1) };

        Assert.Contains(Failures(options), f => f.StartsWith("Sieve:VacationDefaultPeriod:", StringComparison.Ordinal));
    }

    [Fact]
    public void SpamTestHeaderExpressionMustBeValidAndHaveAGroup()
    {
        Assert.Empty(Failures(new SieveOptions { SpamTest = { Header = "X-Spam-Status: score=(-?[0-9.]+)" } }));
        Assert.Contains(Failures(new SieveOptions { SpamTest = { Header = "X-Spam-Status: score=[0-9.]+" } }), f => f.Contains("needs a group", StringComparison.Ordinal));
        Assert.Contains(Failures(new SieveOptions { SpamTest = { Header = "X-Spam-Status: (unclosed" } }), f => f.StartsWith("Sieve:SpamTest:Header:", StringComparison.Ordinal));
    }

    [Fact]
    public void TextLevelsAreWithinTheTestsScale()
    {
        var options = new SieveOptions { VirusTest = { Header = "X-Virus", Type = Runtime.ScoreStatusType.Text } };
        options.VirusTest.TextValues["5"] = "infected";
        options.VirusTest.TextValues["6"] = "worse";

        Assert.Equal(["Sieve:VirusTest:TextValues:6: levels are 0 to 5"], Failures(options));
    }
}

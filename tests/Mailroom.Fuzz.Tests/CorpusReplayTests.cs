namespace Mailroom.Fuzz.Tests;

/// <summary>
/// Replays every input of <c>fuzz/corpus/&lt;target&gt;/</c> (the seeds) and <c>fuzz/regressions/&lt;target&gt;/</c>
/// (inputs that once failed) through its target, exactly as the fuzzer runs it, so a regression fails
/// <c>dotnet test</c> even where libFuzzer is not installed.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string FuzzDirectory = Path.Combine(AppContext.BaseDirectory, "fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var inputs = new TheoryData<string, string>();
        foreach (string kind in (string[])["corpus", "regressions"])
        {
            string folder = Path.Combine(FuzzDirectory, kind);
            if (!System.IO.Directory.Exists(folder))
            {
                continue;
            }

            foreach (string file in System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                inputs.Add(Path.GetFileName(Path.GetDirectoryName(file)!), Path.GetRelativePath(FuzzDirectory, file));
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void SavedInputRunsCleanlyThroughItsTarget(string target, string input)
    {
        Assert.Contains(target, FuzzTargets.Names);
        using FuzzTarget fuzzTarget = FuzzTargets.Create(target);
        fuzzTarget.Warm();
        FuzzRunner.Execute(fuzzTarget, File.ReadAllBytes(Path.Combine(FuzzDirectory, input)));
    }

    [Fact]
    public void EveryTargetHasASeedCorpus()
    {
        foreach (string target in FuzzTargets.Names)
        {
            string folder = Path.Combine(FuzzDirectory, "corpus", target);
            Assert.True(System.IO.Directory.Exists(folder) && System.IO.Directory.EnumerateFiles(folder).Any(), $"no seeds in fuzz/corpus/{target}");
        }
    }

    [Fact]
    public void EveryCorpusAndRegressionFolderNamesATarget()
    {
        foreach (string kind in (string[])["corpus", "regressions"])
        {
            string folder = Path.Combine(FuzzDirectory, kind);
            if (System.IO.Directory.Exists(folder))
            {
                foreach (string target in System.IO.Directory.EnumerateDirectories(folder).Select(static d => Path.GetFileName(d)))
                {
                    Assert.Contains(target, FuzzTargets.Names);
                }
            }
        }
    }
}

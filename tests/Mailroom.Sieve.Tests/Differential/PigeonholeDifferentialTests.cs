using System.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Differential;

/// <summary>
/// Every corpus script on every corpus message through Pigeonhole's sieve-test and through this interpreter: the
/// decisions (compile errors by line, run-time failures, actions with folders, flags and options, the implicit keep)
/// must be the same.
/// </summary>
public sealed class PigeonholeDifferentialTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    public static TheoryData<string> Scripts => [.. CorpusFixture.Scripts.Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task ScriptDecidesAsPigeonholeDoesOnEveryMessage(string script)
    {
        string text = await File.ReadAllTextAsync(Path.Combine(CorpusFixture.Root, "scripts", script), TestContext.Current.CancellationToken);
        var differences = new StringBuilder();
        foreach (string messagePath in CorpusFixture.MessagesFor(script))
        {
            string message = await File.ReadAllTextAsync(messagePath, TestContext.Current.CancellationToken);
            string expected = await corpus.ExpectedAsync(script, Path.GetFileName(messagePath));
            string actual = RunHere(text, message);
            if (expected != actual)
            {
                differences.Append($"--- {Path.GetFileName(messagePath)}\nPigeonhole:\n{expected}\nMailroom:\n{actual}\n");
            }
        }

        Assert.True(differences.Length == 0, $"{script} decides differently:\n{differences}");
    }

    internal static string RunHere(string script, string message)
    {
        var host = new TestHost();
        host.Folders.UnionWith(CorpusFixture.Folders);
        foreach (string file in System.IO.Directory.EnumerateFiles(Path.Combine(CorpusFixture.Root, "personal"), "*.sieve"))
        {
            host.Personal[Path.GetFileNameWithoutExtension(file)] = File.ReadAllText(file);
        }

        foreach (string file in System.IO.Directory.EnumerateFiles(Path.Combine(CorpusFixture.Root, "global"), "*.sieve"))
        {
            host.Global[Path.GetFileNameWithoutExtension(file)] = File.ReadAllText(file);
        }

        SieveCompilation compilation = SieveTestKit.Compile(script);
        if (!compilation.Success)
        {
            return Outcome.Describe(compilation, null);
        }

        using SieveMessage parsed = SieveMessage.FromBytes(Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")));
        var envelope = new SieveEnvelope(CorpusFixture.Sender, CorpusFixture.Recipient, CorpusFixture.Recipient);
        SieveResult result = new SieveInterpreter(CorpusFixture.Settings).Run([compilation.Script!], parsed, envelope, host);
        return Outcome.Describe(compilation, result);
    }
}

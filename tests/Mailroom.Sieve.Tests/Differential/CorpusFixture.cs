using System.Text.RegularExpressions;
using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Tests.Differential;

/// <summary>
/// The corpus both interpreters run (kept in the repository under <c>Corpus/</c>): scripts, messages, the personal and
/// global scripts they include, the folders that exist; and one sieve-test setup shared by the cases.
/// </summary>
public sealed class CorpusFixture : IDisposable
{
    /// <summary>Folders that exist in the user's mailbox, for <c>mailboxexists</c>.</summary>
    public static readonly string[] Folders = ["Lists", "Lists/Dev", "Archive"];

    public const string Sender = "sender@example.com";
    public const string Recipient = "samt+lists@example.org";

    private PigeonholeSieveTest? _pigeonhole;
    private Task<Dictionary<(string Script, string Message), string>>? _expected;

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static IEnumerable<string> Scripts => System.IO.Directory.EnumerateFiles(Path.Combine(Root, "scripts"), "*.sieve").Order(StringComparer.Ordinal);

    public static IEnumerable<string> Messages => System.IO.Directory.EnumerateFiles(Path.Combine(Root, "messages"), "*.eml").Order(StringComparer.Ordinal);

    /// <summary>The same site settings sieve-test is configured with.</summary>
    public static SieveRuntimeSettings Settings { get; } = new()
    {
        HostName = "mail.example.org",
        SpamTest = new ScoreTestSettings { Header = "X-Spam-Score", Type = ScoreStatusType.Score, MaxValue = 10 },
        VirusTest = new ScoreTestSettings
        {
            Header = "X-Virus-Scan",
            Pattern = new Regex(@"Found to be (.+)\.", RegexOptions.CultureInvariant),
            Type = ScoreStatusType.Text,
            TextValues = new Dictionary<string, int> { ["clean"] = 1, ["infected"] = 5 },
        },
    };

    internal PigeonholeSieveTest Pigeonhole => _pigeonhole ??= PigeonholeSieveTest.Create(Root, Folders);

    /// <summary>The messages a script runs on: all, except for a script that must not compile (one is enough).</summary>
    public static string[] MessagesFor(string script) =>
        script.StartsWith("error-", StringComparison.Ordinal) ? [.. Messages.Take(1)] : [.. Messages];

    /// <summary>
    /// Pigeonhole's outcome of <paramref name="script"/> on <paramref name="message"/>. sieve-test costs a process start
    /// (and one of Dovecot's configuration reader) per run, mostly spent waiting: the whole corpus is run once, several
    /// runs at a time, the first time any case asks.
    /// </summary>
    internal async Task<string> ExpectedAsync(string script, string message)
    {
        PigeonholeSieveTest pigeonhole = Pigeonhole;
        _expected ??= RunAllAsync(pigeonhole);
        Dictionary<(string, string), string> all = await _expected;
        return all[(script, message)];
    }

    private static async Task<Dictionary<(string Script, string Message), string>> RunAllAsync(PigeonholeSieveTest pigeonhole)
    {
        using var slots = new SemaphoreSlim(8);
        var runs = new List<Task<((string, string) Key, string Outcome)>>();
        foreach (string scriptPath in Scripts)
        {
            string script = Path.GetFileName(scriptPath);
            string text = await File.ReadAllTextAsync(scriptPath);
            foreach (string messagePath in MessagesFor(script))
            {
                string message = await File.ReadAllTextAsync(messagePath);
                runs.Add(RunOneAsync(slots, pigeonhole, (script, Path.GetFileName(messagePath)), text, message));
            }
        }

        return (await Task.WhenAll(runs)).ToDictionary(r => r.Key, r => r.Outcome);
    }

    private static async Task<((string, string) Key, string Outcome)> RunOneAsync(SemaphoreSlim slots, PigeonholeSieveTest pigeonhole, (string, string) key, string script, string message)
    {
        await slots.WaitAsync();
        try
        {
            return (key, await pigeonhole.RunAsync(script, message, Sender, Recipient));
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => _pigeonhole?.Dispose();
}

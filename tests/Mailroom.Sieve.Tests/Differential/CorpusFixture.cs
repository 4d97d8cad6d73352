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

    public void Dispose() => _pigeonhole?.Dispose();
}

using System.Text;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Differential;

/// <summary>
/// Whether a vacation reply is due, on every corpus message, decided by Pigeonhole (sieve-test -e, which applies its
/// rules and logs why it answers or not) and by this interpreter: the same decision, for the same reason.
/// </summary>
public sealed class VacationDifferentialTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    // Pigeonhole compares the final recipient as given; the bare mailbox keeps both sides on the same address.
    private const string Recipient = "samt@example.org";
    private const string Script = "require \"vacation\";\nvacation :days 3 \"I am away.\";\n";

    private static readonly string[] Reasons =
        ["mailinglist", "auto-submitted", "precedence=", "x-auto-response-suppress", "system address", "implicitly delivered", "own address", "reply to <>", "duplicate"];

    [Fact]
    public async Task VacationAnswersOrNotAsPigeonholeDoesOnEveryMessage()
    {
        var differences = new StringBuilder();
        foreach (string path in CorpusFixture.Messages)
        {
            string message = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            string log = await corpus.Pigeonhole.RunExecutedAsync(Script, message, CorpusFixture.Sender, Recipient);
            string expected = log.Contains("sent vacation response", StringComparison.Ordinal) ? "sent" : "no reply: " + ReasonIn(log);

            using SieveMessage parsed = SieveTestKit.Message(message);
            var envelope = new SieveEnvelope(CorpusFixture.Sender, Recipient, Recipient);
            SieveResult result = new SieveInterpreter(CorpusFixture.Settings).Run([SieveTestKit.CompileOrFail(Script)], parsed, envelope, new TestHost());
            VacationAction vacation = Assert.Single(result.Actions.OfType<VacationAction>());
            string actual = vacation.Send ? "sent" : "no reply: " + ReasonIn(vacation.SkipReason!);
            if (expected != actual)
            {
                differences.Append($"{Path.GetFileName(path)}: Pigeonhole {expected}, Mailroom {actual}\n");
            }
        }

        Assert.True(differences.Length == 0, differences.ToString());
    }

    private static string ReasonIn(string text) => Reasons.FirstOrDefault(r => text.Contains(r, StringComparison.Ordinal)) ?? "unknown: " + text;
}

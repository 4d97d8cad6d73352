using System.Text.Json;
using Spectre.Console;

namespace Mailroom.Toolkit.Check;

/// <summary>Renders check results as a Spectre.Console table or as JSON.</summary>
internal static class CheckReport
{
    public static void WriteTable(IReadOnlyList<CheckResult> results, IAnsiConsole console)
    {
        var table = new Table().AddColumns("Check", "Target", "Result", "Reason");
        foreach (CheckResult r in results)
        {
            string status = r.Status switch
            {
                CheckStatus.Pass => "[green]PASS[/]",
                CheckStatus.Warn => "[yellow]WARN[/]",
                _ => "[red]FAIL[/]",
            };
            table.AddRow(Markup.Escape(r.Check), Markup.Escape(r.Target), status, Markup.Escape(r.Reason));
        }

        console.Write(table);
        console.WriteLine($"{results.Count(r => r.Status == CheckStatus.Pass)} passed, {results.Count(r => r.Status == CheckStatus.Warn)} warnings, {results.Count(r => r.Status == CheckStatus.Fail)} failed");
    }

    public static string ToJson(string host, IReadOnlyList<CheckResult> results) => JsonSerializer.Serialize(new
    {
        host,
        ok = results.All(r => r.Status != CheckStatus.Fail),
        results = results.Select(r => new { check = r.Check, target = r.Target, status = r.Status.ToString().ToUpperInvariant(), reason = r.Reason }),
    });
}

using System.Text.Json;
using Spectre.Console;

namespace Mailroom.Toolkit.Check;

/// <summary>Renders check results as a Spectre.Console table or as JSON.</summary>
internal static class CheckReport
{
    /// <summary>
    /// The table fits the console's width (80 columns on a classic terminal): the short columns never wrap, and the
    /// reason wraps at word boundaries, a word longer than its column (a certificate subject, a long host name) folded.
    /// </summary>
    public static void WriteTable(IReadOnlyList<CheckResult> results, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Check").NoWrap())
            .AddColumn(new TableColumn("Target").NoWrap())
            .AddColumn(new TableColumn("Result").NoWrap())
            .AddColumn(new TableColumn("Reason"));
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

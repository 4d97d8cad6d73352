using System.Globalization;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Tests.Differential;

/// <summary>
/// What a script decided for a message, in one normalised text both interpreters are reduced to: the compile error's
/// line, "failed" for a run-time failure, or one line per action and the implicit keep.
/// </summary>
internal static class Outcome
{
    public static string Describe(SieveCompilation compilation, SieveResult? result)
    {
        if (!compilation.Success)
        {
            return "compile error at line " + compilation.Errors.First().Position.Line.ToString(CultureInfo.InvariantCulture);
        }

        if (result!.Error is not null)
        {
            return "failed";
        }

        var lines = new List<string>();
        foreach (SieveAction action in result.Actions)
        {
            lines.Add(action switch
            {
                StoreMessageAction store => Store(store.Folder, store.Flags, store.Create, store.Copy),
                RedirectMessageAction redirect => "redirect " + redirect.Address + (redirect.Copy ? " copy" : ""),
                RejectMessageAction reject => "reject " + reject.Reason,
                DiscardMessageAction => "discard",
                VacationAction vacation => Vacation((long)vacation.Period.TotalSeconds, vacation.Subject, vacation.From),
                _ => action.Kind,
            });
        }

        // Pigeonhole lists duplicate tracking among the actions; here it is kept apart: both put it after them.
        lines.AddRange(result.Marks.Select(_ => "track duplicate"));
        lines.Add(result.ImplicitKeep ? "implicit " + Store("INBOX", result.ImplicitKeepFlags, false, false) : "implicit none");
        return string.Join('\n', lines);
    }

    public static string Store(string folder, IEnumerable<string> flags, bool create, bool copy)
    {
        string text = "store " + folder;
        string joined = string.Join(' ', flags).ToLowerInvariant();
        if (joined.Length > 0)
        {
            text += " flags=" + joined;
        }

        return text + (create ? " create" : "") + (copy ? " copy" : "");
    }

    public static string Vacation(long seconds, string? subject, string? from) =>
        "vacation seconds=" + seconds.ToString(CultureInfo.InvariantCulture) + (subject is null ? "" : " subject=" + subject) + (from is null ? "" : " from=" + from);
}

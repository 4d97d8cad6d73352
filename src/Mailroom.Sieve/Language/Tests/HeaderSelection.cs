using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>Helpers the header-reading tests share: <c>:index</c>/<c>:last</c> selection (RFC 5260 §6) and field-name checks.</summary>
internal static class HeaderSelection
{
    /// <summary>All occurrences, or only the <paramref name="index"/>th (1-based), counted from the end with <paramref name="last"/>.</summary>
    public static IEnumerable<T> Select<T>(List<T> occurrences, int index, bool last)
    {
        if (index <= 0)
        {
            return occurrences;
        }

        int position = last ? occurrences.Count - index : index - 1;
        return position >= 0 && position < occurrences.Count ? [occurrences[position]] : [];
    }

    /// <summary>RFC 5322 §3.6.8 field-name: printable ASCII but the colon. An invalid constant name is a warning (it can never match).</summary>
    public static void CheckNames(SieveStringList names, CompileContext context)
    {
        foreach (SieveString name in names.Items)
        {
            if (name.IsConstant && !IsFieldName(name.Constant))
            {
                context.Warning(name.Position, $"specified header field name '{name.Constant}' is invalid");
            }
        }
    }

    public static bool IsFieldName(string name) => name.Length > 0 && name.All(c => c is > ' ' and < '\u007f' and not ':');

    public static MatchSpec BuildMatch(MatchOptions options, ArgumentReader reader, SieveStringList? keys) =>
        options.Build(reader, reader.Node.Position, keys);
}

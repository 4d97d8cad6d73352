using System.Globalization;
using System.Text.RegularExpressions;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve;

/// <summary>Turns <see cref="SieveOptions"/> into what the compiler and interpreter take.</summary>
public static class SieveSettings
{
    /// <summary>The extensions this site offers: all, but spamtest/spamtestplus and virustest only when configured.</summary>
    public static IReadOnlySet<string> Extensions(SieveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var set = new HashSet<string>(SieveExtensions.All, StringComparer.Ordinal);
        if (options.SpamTest.Header is null)
        {
            set.Remove(SieveExtensions.Spamtest);
            set.Remove(SieveExtensions.Spamtestplus);
        }

        if (options.VirusTest.Header is null)
        {
            set.Remove(SieveExtensions.Virustest);
        }

        return set;
    }

    /// <summary>The SIEVE capability string (RFC 5804 §1.7) for this site's extensions.</summary>
    public static string Capability(SieveOptions options) =>
        string.Join(' ', SieveExtensions.All.Where(Extensions(options).Contains));

    public static SieveRuntimeSettings Runtime(SieveOptions options, string hostName, string recipientDelimiter)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SieveRuntimeSettings
        {
            MaxActions = options.MaxActions,
            MaxRedirects = options.MaxRedirects,
            MaxIncludes = options.MaxIncludes,
            MaxIncludeDepth = options.MaxIncludeDepth,
            MaxVariables = options.MaxVariables,
            MaxVariableSize = options.MaxVariableSize,
            MaxSteps = options.MaxSteps,
            RecipientDelimiter = recipientDelimiter,
            VacationDefaultPeriod = options.VacationDefaultPeriod,
            VacationMinPeriod = options.VacationMinPeriod,
            VacationMaxPeriod = options.VacationMaxPeriod,
            DuplicateDefaultPeriod = options.DuplicateDefaultPeriod,
            DuplicateMaxPeriod = options.DuplicateMaxPeriod,
            SpamTest = ScoreTest(options.SpamTest),
            VirusTest = ScoreTest(options.VirusTest),
            HostName = hostName,
        };
    }

    /// <summary>
    /// <c>Field</c> or <c>Field: regex</c> (Pigeonhole's syntax; white space after the colon is not part of the
    /// expression). The expression is POSIX extended, as there, and must have a group.
    /// </summary>
    public static (string Field, Regex? Pattern)? ParseHeader(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string field = (colon < 0 ? text : text[..colon]).Trim();
        if (field.Length == 0 || !field.All(c => c is > ' ' and < '\u007f'))
        {
            error = $"'{field}' is not a header field name";
            return null;
        }

        if (colon < 0)
        {
            return (field, null);
        }

        string expression = text[(colon + 1)..].TrimStart(' ', '\t');
        Regex? pattern = PosixRegex.TryCompile(expression, ComparatorKind.Octet, out error);
        if (pattern is null)
        {
            return null;
        }

        if (pattern.GetGroupNumbers().Length < 2)
        {
            error = "the regular expression needs a group (in parentheses) for the value";
            return null;
        }

        return (field, pattern);
    }

    private static ScoreTestSettings? ScoreTest(ScoreTestOptions options)
    {
        if (options.Header is null || ParseHeader(options.Header, out _) is not { } parsed)
        {
            return null;
        }

        return new ScoreTestSettings
        {
            Header = parsed.Field,
            Pattern = parsed.Pattern,
            Type = options.Type,
            MaxValue = options.MaxValue,
            TextValues = options.TextValues.ToDictionary(p => p.Value, p => int.Parse(p.Key, CultureInfo.InvariantCulture), StringComparer.Ordinal),
        };
    }
}

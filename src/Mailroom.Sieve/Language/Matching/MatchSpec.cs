using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Matching;

/// <summary>
/// The comparator and match type of one test, applied to the values the test extracted and its key list: true when any
/// value matches any key (RFC 5228 §2.7.1), or for <c>:count</c> when the number of values stands in the relation to a
/// key (RFC 5231 §4.2). A successful <c>:matches</c>/<c>:regex</c> sets the match variables (RFC 5229 §3.2).
/// </summary>
internal sealed class MatchSpec
{
    // Compiled scripts are shared by concurrent deliveries: the caches are concurrent (constant keys go in at
    // validation; keys built from variables are added as met, the cache of one test kept small).
    private readonly ConcurrentDictionary<string, Regex> _regexCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WildcardPattern> _patternCache = new(StringComparer.Ordinal);

    public MatchSpec(ComparatorKind comparator, MatchKind kind, Relation relation, SourcePosition position)
    {
        Comparator = comparator;
        Kind = kind;
        Relation = relation;
        Position = position;
    }

    public ComparatorKind Comparator { get; }

    public MatchKind Kind { get; }

    public Relation Relation { get; }

    public SourcePosition Position { get; }

    /// <summary>Compiles the constant keys now (a bad regular expression is a validation error); null or the error.</summary>
    public string? Prepare(SieveStringList keys)
    {
        foreach (SieveString key in keys.Items)
        {
            if (!key.IsConstant)
            {
                continue;
            }

            if (Kind == MatchKind.Regex)
            {
                Regex? regex = PosixRegex.TryCompile(key.Constant, Comparator, out string? error);
                if (regex is null)
                {
                    return $"invalid regular expression '{key.Constant}' for regex match: {error}";
                }

                _regexCache[key.Constant] = regex;
            }
            else if (Kind == MatchKind.Matches)
            {
                _patternCache[key.Constant] = WildcardPattern.Parse(key.Constant);
            }
        }

        return null;
    }

    public bool Match(ScriptRun run, IReadOnlyList<string> values, SieveStringList keys)
    {
        if (Kind == MatchKind.Count)
        {
            return MatchCount(run, values.Count, keys);
        }

        List<string> keyValues = keys.Evaluate(run);
        List<string>? captures = run.MatchValuesEnabled && Kind is MatchKind.Matches or MatchKind.Regex ? [] : null;
        foreach (string value in values)
        {
            foreach (string key in keyValues)
            {
                run.CountComparison();
                if (MatchOne(value, key, captures))
                {
                    if (captures is not null)
                    {
                        run.SetMatchValues(captures);
                    }

                    return true;
                }
            }
        }

        return false;
    }

    private bool MatchCount(ScriptRun run, int count, SieveStringList keys)
    {
        string text = count.ToString(CultureInfo.InvariantCulture);
        foreach (string key in keys.Evaluate(run))
        {
            run.CountComparison();
            if (Relations.Holds(Relation, Comparators.Compare(Comparator, text, key)))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchOne(string value, string key, List<string>? captures)
    {
        switch (Kind)
        {
            case MatchKind.Is:
                return Comparators.AreEqual(Comparator, value, key);
            case MatchKind.Contains:
                return Comparators.Contains(Comparator, value, key);
            case MatchKind.Value:
                return Relations.Holds(Relation, Comparators.Compare(Comparator, value, key));
            case MatchKind.Matches:
                if (!_patternCache.TryGetValue(key, out WildcardPattern? pattern))
                {
                    pattern = WildcardPattern.Parse(key);
                    CacheBounded(_patternCache, key, pattern);
                }

                return pattern.Match(value, Comparator, captures);
            default:
                return RegexMatch(value, key, captures);
        }
    }

    private bool RegexMatch(string value, string key, List<string>? captures)
    {
        if (!_regexCache.TryGetValue(key, out Regex? regex))
        {
            regex = PosixRegex.TryCompile(key, Comparator, out string? error)
                ?? throw new SieveRuntimeException(Position, $"invalid regular expression '{key}' for regex match: {error}");
            CacheBounded(_regexCache, key, regex);
        }

        Match match = regex.Match(value);
        if (!match.Success)
        {
            return false;
        }

        if (captures is not null)
        {
            captures.Clear();
            foreach (Group group in match.Groups)
            {
                captures.Add(group.Success ? group.Value : "");
            }
        }

        return true;
    }

    private static void CacheBounded<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= 64)
        {
            cache.Clear();
        }

        cache[key] = value;
    }
}

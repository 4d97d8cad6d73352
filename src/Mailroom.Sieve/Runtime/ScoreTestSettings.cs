using System.Text.RegularExpressions;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// Where spamtest/virustest (RFC 5235) find the scanner's verdict, as Pigeonhole's <c>sieve_spamtest_*</c> settings: a
/// header field, optionally a regular expression whose first group is the value, and how to read that value.
/// </summary>
public sealed class ScoreTestSettings
{
    public required string Header { get; init; }

    /// <summary>Applied to the header value; its first group is the status. Null: the whole value.</summary>
    public Regex? Pattern { get; init; }

    public ScoreStatusType Type { get; init; } = ScoreStatusType.Score;

    /// <summary>The score (or string length) meaning "certainly spam/infected" (Score and Strlen).</summary>
    public double MaxValue { get; init; }

    /// <summary>Text statuses and the value each stands for (Text): 0-10 for spamtest, 0-5 for virustest.</summary>
    public IReadOnlyDictionary<string, int> TextValues { get; init; } = new Dictionary<string, int>();
}

/// <summary>How the status is read (Pigeonhole's <c>sieve_spamtest_status_type</c>).</summary>
public enum ScoreStatusType
{
    /// <summary>A decimal score, scaled by <see cref="ScoreTestSettings.MaxValue"/>.</summary>
    Score,

    /// <summary>A run of characters whose length is the score (<c>*****</c>).</summary>
    Strlen,

    /// <summary>A text looked up in <see cref="ScoreTestSettings.TextValues"/>.</summary>
    Text,
}

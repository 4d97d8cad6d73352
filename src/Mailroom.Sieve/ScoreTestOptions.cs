using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve;

/// <summary>
/// Pigeonhole's <c>sieve_spamtest_*</c> / <c>sieve_virustest_*</c> settings: the header field a content scanner
/// (rspamd, SpamAssassin, ClamAV through a milter) writes, optionally <c>Field: regex</c> whose first group is the
/// value, and how to read that value. The scanner must remove such fields from incoming mail, or senders choose the verdict.
/// </summary>
public sealed class ScoreTestOptions
{
    /// <summary>The field, or <c>Field: regular expression</c>. Default none: the test is not offered.</summary>
    public string? Header { get; set; }

    /// <summary><c>Score</c> (a number), <c>Strlen</c> (a run of characters) or <c>Text</c> (looked up in <see cref="TextValues"/>).</summary>
    public ScoreStatusType Type { get; set; } = ScoreStatusType.Score;

    /// <summary>The score meaning "certainly spam/infected" for Score and Strlen. Default 10.</summary>
    public double MaxValue { get; set; } = 10;

    /// <summary>For Text: the status text of each level, e.g. <c>TextValues:1=clean</c>, <c>TextValues:5=infected</c>.</summary>
    public IDictionary<string, string> TextValues { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

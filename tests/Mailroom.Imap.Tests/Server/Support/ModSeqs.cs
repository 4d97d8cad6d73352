using System.Globalization;
using System.Text.RegularExpressions;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>Mod-sequences (RFC 7162) read from response lines.</summary>
internal static partial class ModSeqs
{
    /// <summary>The value of the first <c>[HIGHESTMODSEQ n]</c> in <paramref name="text"/>.</summary>
    public static ulong Highest(string text) => Parse(HighestModSeq().Match(text));

    /// <summary>The value of a FETCH response's <c>MODSEQ (n)</c>.</summary>
    public static ulong OfFetch(string line) => Parse(FetchModSeq().Match(line));

    private static ulong Parse(Match match)
    {
        Assert.True(match.Success, "no mod-sequence in the response");
        return ulong.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\[HIGHESTMODSEQ (\d+)\]")]
    private static partial Regex HighestModSeq();

    [GeneratedRegex(@"MODSEQ \((\d+)\)")]
    private static partial Regex FetchModSeq();
}

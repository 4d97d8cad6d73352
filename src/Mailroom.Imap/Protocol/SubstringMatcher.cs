namespace Mailroom.Imap.Protocol;

/// <summary>
/// Case-insensitive substring search (RFC 9051 §6.4.4: SEARCH strings match as substrings, ignoring case) in time
/// linear in the text and the needle: Knuth–Morris–Pratt over upper-cased UTF-16 units. A general IndexOf compares
/// the needle again at every candidate position, which a needle like "aaaa…b" against a body of "a"s turns into
/// text × needle work. Equal by needle, so search keys holding one compare by value.
/// </summary>
internal sealed class SubstringMatcher : IEquatable<SubstringMatcher>
{
    private readonly string _folded;
    private readonly int[] _fallback;

    public SubstringMatcher(string needle)
    {
        ArgumentNullException.ThrowIfNull(needle);
        Needle = needle;
        _folded = needle.ToUpperInvariant();
        _fallback = new int[_folded.Length];
        for (int i = 1, matched = 0; i < _folded.Length; i++)
        {
            while (matched > 0 && _folded[i] != _folded[matched])
            {
                matched = _fallback[matched - 1];
            }

            if (_folded[i] == _folded[matched])
            {
                matched++;
            }

            _fallback[i] = matched;
        }
    }

    public string Needle { get; }

    /// <summary>Whether the needle occurs in <paramref name="text"/> (an empty needle occurs in every text).</summary>
    public bool IsFoundIn(ReadOnlySpan<char> text)
    {
        if (_folded.Length == 0)
        {
            return true;
        }

        int matched = 0;
        foreach (char c in text)
        {
            char upper = char.ToUpperInvariant(c);
            while (matched > 0 && upper != _folded[matched])
            {
                matched = _fallback[matched - 1];
            }

            if (upper == _folded[matched] && ++matched == _folded.Length)
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(SubstringMatcher? other) => other is not null && Needle == other.Needle;

    public override bool Equals(object? obj) => Equals(obj as SubstringMatcher);

    public override int GetHashCode() => Needle.GetHashCode(StringComparison.Ordinal);
}

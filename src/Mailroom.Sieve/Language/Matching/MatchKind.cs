namespace Mailroom.Sieve.Language.Matching;

/// <summary>The match types: RFC 5228 §2.7.1, <c>:regex</c> (draft-murchison-sieve-regex), RFC 5231's relational ones.</summary>
internal enum MatchKind
{
    Is,
    Contains,
    Matches,
    Regex,
    Value,
    Count,
}

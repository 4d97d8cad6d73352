namespace Mailroom.Sieve.Language;

/// <summary>A piece of a string with variable references (RFC 5229 §3).</summary>
internal abstract record StringPart;

internal sealed record LiteralPart(string Text) : StringPart;

/// <summary><c>${name}</c>, in the script's own namespace or the global one (RFC 6609 §3.4).</summary>
internal sealed record VariablePart(string Name, bool Global) : StringPart;

/// <summary><c>${N}</c>: the Nth value of the last successful <c>:matches</c>/<c>:regex</c> (RFC 5229 §3.2).</summary>
internal sealed record MatchPart(int Index) : StringPart;

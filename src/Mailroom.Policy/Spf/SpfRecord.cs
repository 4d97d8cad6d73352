namespace Mailroom.Policy.Spf;

/// <summary>A parsed SPF record: directives in order, and the <c>redirect=</c> and <c>exp=</c> modifiers.</summary>
internal sealed record SpfRecord(IReadOnlyList<SpfTerm> Terms, string? Redirect, string? Explanation);

namespace Mailroom.Policy.Arc;

/// <summary>The ARC chain's validation (RFC 8617 §5.2: pass, fail, none; temperror on DNS trouble) and the sets it holds.</summary>
public sealed record ArcVerdict(string Result)
{
    /// <summary>The ARC sets, oldest first: instance, sealer domain, and the results that hop recorded.</summary>
    public IReadOnlyList<ArcHop> Hops { get; init; } = [];

    public string? Problem { get; init; }

    /// <summary>The newest hop's sealer, for the log.</summary>
    public string? LatestSealer => Hops.Count == 0 ? null : Hops[^1].Sealer;
}

/// <summary>One ARC set: its instance (<c>i=</c>), the sealer's <c>d=</c> and its ARC-Authentication-Results.</summary>
public sealed record ArcHop(int Instance, string Sealer, MimeKit.Cryptography.AuthenticationResults? Results);

namespace Mailroom.Policy.Dkim;

/// <summary>
/// The outcome of one DKIM-Signature (RFC 8601 §2.7.1 result keywords: pass, fail, neutral, policy, temperror,
/// permerror) with the properties Authentication-Results reports: <c>header.d</c>, <c>header.s</c>, <c>header.a</c>,
/// <c>header.i</c> and the first characters of <c>b=</c> (RFC 6008 <c>header.b</c>).
/// </summary>
public sealed record DkimSignatureResult(string Result, string Domain, string Selector, string Algorithm)
{
    public string? Identity { get; init; }

    public string HeaderB { get; init; } = "";

    /// <summary>Why a signature did not pass, in OpenDKIM's words where it has them.</summary>
    public string? Reason { get; init; }

    public bool Passed => Result == "pass";
}

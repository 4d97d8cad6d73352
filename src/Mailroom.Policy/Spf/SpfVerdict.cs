namespace Mailroom.Policy.Spf;

/// <summary>
/// The outcome of <c>check_host()</c> for one identity, with what decided it: the domain whose record was read,
/// that record, the mechanism that matched and, for <c>fail</c>, the explanation (RFC 7208 §6.2).
/// </summary>
public sealed record SpfVerdict(SpfResult Result, string Domain)
{
    /// <summary>The record of <see cref="Domain"/> as published (null when there was none).</summary>
    public string? Record { get; init; }

    /// <summary>The mechanism that matched (<c>ip4:192.0.2.0/24</c>, <c>-all</c>), or <c>default</c>.</summary>
    public string? Mechanism { get; init; }

    /// <summary>RFC 7208 §6.2 explanation of a <c>fail</c>, from <c>exp=</c> or the default.</summary>
    public string? Explanation { get; init; }

    /// <summary>Why the result is an error, for the log.</summary>
    public string? Problem { get; init; }

    /// <summary>The result keyword of RFC 8601 §2.7.2: <c>pass</c>, <c>softfail</c>, <c>temperror</c>…</summary>
    public string Keyword => Result.ToKeyword();
}

public static class SpfResultExtensions
{
    public static string ToKeyword(this SpfResult result) => result switch
    {
        SpfResult.None => "none",
        SpfResult.Neutral => "neutral",
        SpfResult.Pass => "pass",
        SpfResult.Fail => "fail",
        SpfResult.SoftFail => "softfail",
        SpfResult.TempError => "temperror",
        _ => "permerror",
    };
}

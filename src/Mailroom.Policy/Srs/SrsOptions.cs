namespace Mailroom.Policy.Srs;

/// <summary>The Sender Rewriting Scheme for forwarded mail, bound from the <c>Srs</c> section.</summary>
public sealed class SrsOptions
{
    public const string SectionName = "Srs";

    /// <summary>Rewrite the envelope sender of mail an alias forwards to another domain. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The domain of rewritten addresses (it must be one of ours, and its SPF record must allow this server).
    /// Default: the forwarding alias's own domain.
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>
    /// The key file: one secret per line, the first signs, all verify (add a new first line to rotate). Created with a
    /// random secret, mode 0600, when missing. Default <c>data/srs.secret</c>.
    /// </summary>
    public string SecretFile { get; set; } = "data/srs.secret";

    /// <summary>How long a rewritten address stays valid for bounces. Default 21 days, as libsrs2 and postsrsd.</summary>
    public int MaxAgeDays { get; set; } = 21;
}

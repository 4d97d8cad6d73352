namespace Mailroom.Policy.Dkim;

/// <summary>DKIM signing and verification, bound from the <c>Dkim</c> section.</summary>
public sealed class DkimOptions
{
    public const string SectionName = "Dkim";

    /// <summary>Where the keys live (<c>mailroom dkim keygen</c> writes them). Default <c>data/dkim</c>.</summary>
    public string KeyDirectory { get; set; } = "data/dkim";

    /// <summary>Sign outgoing mail for every domain with a key (RSA and Ed25519 when both exist). Default true.</summary>
    public bool Sign { get; set; } = true;

    /// <summary>Verify DKIM signatures of mail received on port 25. Default true.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>
    /// Signatures verified per message; later ones are reported <c>neutral</c> unchecked. Default 5: each costs DNS
    /// lookups and hashing the body, and a hostile message may carry hundreds (OpenDKIM's
    /// <c>MaximumSignaturesToVerify</c> is 3).
    /// </summary>
    public int MaxSignaturesToVerify { get; set; } = 5;

    /// <summary>RSA keys shorter than this fail verification (RFC 8301 §3.2: 1024).</summary>
    public int MinimumRsaKeyBits { get; set; } = 1024;
}

using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Mailroom.Policy.Dkim;

/// <summary>One private key of a domain, at <c>&lt;KeyDirectory&gt;/&lt;domain&gt;/&lt;selector&gt;.pem</c>.</summary>
public sealed record DkimKey(string Domain, string Selector, DkimAlgorithm Algorithm, string Path, bool Active, DateTimeOffset Created)
{
    internal AsymmetricKeyParameter? PrivateKey { get; init; }

    /// <summary>The RSA key in the platform's form, for <see cref="NativeRsaSigner"/>; null for Ed25519.</summary>
    internal System.Security.Cryptography.RSAParameters? RsaParameters { get; init; }

    /// <summary>The signing context MimeKit's signers use for this key: native RSA, or BouncyCastle's Ed25519.</summary>
    internal ISigner? NativeSigner() => RsaParameters is { } rsa ? new NativeRsaSigner(rsa) : null;

    /// <summary>The public key as the <c>p=</c> tag carries it (RFC 6376 §3.6.1; RFC 8463 §4.2 for Ed25519).</summary>
    public required string PublicKeyBase64 { get; init; }

    internal DkimSignatureAlgorithm SignatureAlgorithm =>
        Algorithm == DkimAlgorithm.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;

    /// <summary>The TXT record to publish at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public string TxtRecord => $"v=DKIM1; k={(Algorithm == DkimAlgorithm.Ed25519 ? "ed25519" : "rsa")}; p={PublicKeyBase64}";

    /// <summary>The record in zone-file form, split into the 255-octet character-strings DNS requires.</summary>
    public string ZoneLine
    {
        get
        {
            string record = TxtRecord;
            var parts = new List<string>();
            for (int i = 0; i < record.Length; i += 255)
            {
                parts.Add("\"" + record.Substring(i, Math.Min(255, record.Length - i)) + "\"");
            }

            return $"{Selector}._domainkey.{Domain}. IN TXT ( {string.Join(" ", parts)} )";
        }
    }
}

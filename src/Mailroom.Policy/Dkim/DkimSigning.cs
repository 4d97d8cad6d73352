using MimeKit;
using MimeKit.Cryptography;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// Signs a message with a domain's active keys through MimeKit's <see cref="DkimSigner"/>: relaxed/relaxed, one
/// signature per key (Ed25519 and RSA when both exist, RFC 8463 §4.3), over <see cref="SignedHeaders"/> present in the
/// message, with From, Subject, To and Date listed once more than they occur (over-signing: RFC 6376 §8.15), so that
/// no copy of them can be added after signing without breaking the signature.
/// </summary>
public static class DkimSigning
{
    /// <summary>The header fields signed when present (RFC 6376 §5.4.1's recommendations plus list and MIME fields).</summary>
    public static IReadOnlyList<string> SignedHeaders { get; } =
    [
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To", "References", "Sender",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Language", "List-Id", "List-Help",
        "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
        "Resent-Date", "Resent-From", "Resent-To", "Resent-Cc", "Resent-Message-ID", "Autocrypt", "Openpgp",
    ];

    /// <summary>Header fields signed once more than they occur.</summary>
    public static IReadOnlyList<string> OversignedHeaders { get; } = ["From", "Subject", "To", "Date"];

    /// <summary>Adds one DKIM-Signature per key at the top of <paramref name="message"/>; returns the keys used.</summary>
    public static IReadOnlyList<DkimKey> Sign(MimeMessage message, FormatOptions format, IReadOnlyList<DkimKey> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        List<string> fields = HeaderList(message);
        var used = new List<DkimKey>();

        // RSA last, so that its signature is the topmost: verifiers without Ed25519 support meet it first.
        foreach (DkimKey key in keys.OrderBy(k => k.Algorithm == DkimAlgorithm.Rsa))
        {
            var signer = new ClockedSigner(key, now)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            signer.Sign(format, message, fields);
            used.Add(key);
        }

        return used;
    }

    /// <summary>The <c>h=</c> list for this message: each signed field as often as it occurs, over-signed ones once more.</summary>
    public static List<string> HeaderList(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var fields = new List<string>();
        foreach (string name in SignedHeaders)
        {
            int count = name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && message.Body is not null
                ? message.Body.Headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
                : message.Headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (OversignedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                count++;
            }

            for (int i = 0; i < count; i++)
            {
                fields.Add(name.ToLowerInvariant());
            }
        }

        return fields;
    }

    /// <summary>MimeKit's signer with the <c>t=</c> of the server's clock rather than the machine's.</summary>
    private sealed class ClockedSigner(DkimKey key, DateTimeOffset now)
        : DkimSigner(key.PrivateKey!, key.Domain, key.Selector, key.SignatureAlgorithm)
    {
        protected override long GetTimestamp() => now.ToUnixTimeSeconds();

        protected override Org.BouncyCastle.Crypto.ISigner CreateSigningContext() => key.NativeSigner() ?? base.CreateSigningContext();
    }
}

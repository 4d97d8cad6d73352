using Mailroom.Policy.Dkim;
using MimeKit;
using MimeKit.Cryptography;

namespace Mailroom.Policy.Arc;

/// <summary>
/// Seals a message this server forwards (RFC 8617 §5.1) with MimeKit's <see cref="ArcSigner"/>: the
/// ARC-Authentication-Results are the Authentication-Results this server added on receipt (its <c>arc=</c> result sets
/// <c>cv=</c>), the ARC-Message-Signature covers <see cref="DkimSigning.SignedHeaders"/>.
/// </summary>
public static class ArcSealer
{
    /// <summary>Seals with <paramref name="key"/>; false when the message carries no results of <paramref name="authservId"/>.</summary>
    public static async ValueTask<bool> SealAsync(MimeMessage message, FormatOptions format, DkimKey key, string authservId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        AuthenticationResults? ours = null;
        foreach (Header header in message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults))
        {
            if (AuthenticationResults.TryParse(header.RawValue, out AuthenticationResults? parsed)
                && string.Equals(parsed.AuthenticationServiceIdentifier, authservId, StringComparison.OrdinalIgnoreCase))
            {
                ours = parsed;
                break;
            }
        }

        if (ours is null)
        {
            return false;
        }

        var signer = new Signer(key, ours, now)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        List<string> fields = [.. DkimSigning.HeaderList(message).Distinct(StringComparer.Ordinal)];
        int before = message.Headers.Count(h => h.Id == HeaderId.ArcSeal);
        await signer.SignAsync(format, message, fields, cancellationToken).ConfigureAwait(false);
        return message.Headers.Count(h => h.Id == HeaderId.ArcSeal) > before;
    }

    private sealed class Signer(DkimKey key, AuthenticationResults results, DateTimeOffset now)
        : ArcSigner(key.PrivateKey!, key.Domain, key.Selector, key.SignatureAlgorithm)
    {
        protected override AuthenticationResults GenerateArcAuthenticationResults(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) => Copy();

        protected override Task<AuthenticationResults> GenerateArcAuthenticationResultsAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
            Task.FromResult(Copy());

        protected override long GetTimestamp() => now.ToUnixTimeSeconds();

        protected override Org.BouncyCastle.Crypto.ISigner CreateSigningContext() => key.NativeSigner() ?? base.CreateSigningContext();

        private AuthenticationResults Copy()
        {
            var copy = new AuthenticationResults(results.AuthenticationServiceIdentifier ?? string.Empty);
            foreach (AuthenticationMethodResult result in results.Results)
            {
                copy.Results.Add(result);
            }

            return copy;
        }
    }
}

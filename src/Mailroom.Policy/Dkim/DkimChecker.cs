using System.Globalization;
using Mailroom.Policy.Dns;
using MimeKit;
using MimeKit.Cryptography;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// Verifies the DKIM signatures of a message (RFC 6376 §6) with MimeKit's <see cref="DkimVerifier"/>, adding what it
/// leaves to its caller: the <c>t=</c>/<c>x=</c> time checks (§3.5), the key checks of
/// <see cref="DnsDkimKeyLocator"/>, and a safe reading of <c>l=</c>: a signature that covers only part of the body
/// is reported <c>policy</c>, never <c>pass</c>, since anyone may append content after its limit (§8.2).
/// </summary>
public sealed class DkimChecker
{
    /// <summary>Clock skew allowed for a <c>t=</c> in the future.</summary>
    private static readonly TimeSpan FutureAllowance = TimeSpan.FromMinutes(15);

    private readonly IDnsResolver _dns;
    private readonly DkimOptions _options;
    private readonly TimeProvider _time;
    private readonly DkimKeyCache _keys = new();

    public DkimChecker(IDnsResolver dns, DkimOptions options, TimeProvider timeProvider)
    {
        _dns = dns;
        _options = options;
        _time = timeProvider;
    }

    public async ValueTask<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var results = new List<DkimSignatureResult>();
        var locator = new DnsDkimKeyLocator(_dns, _options.MinimumRsaKeyBits, _keys);
        var verifier = new DkimVerifier(locator) { MinimumRsaKeyLength = _options.MinimumRsaKeyBits };
        foreach (Header header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            Dictionary<string, string> tags = DkimTags.Parse(header.Value);
            var result = new DkimSignatureResult("neutral", Tag(tags, "d"), Tag(tags, "s"), Tag(tags, "a"))
            {
                Identity = tags.GetValueOrDefault("i"),
                HeaderB = Tag(tags, "b") is { Length: > 8 } b ? b[..8] : Tag(tags, "b"),
            };
            if (results.Count >= _options.MaxSignaturesToVerify)
            {
                results.Add(result with { Reason = $"not checked: more than {_options.MaxSignaturesToVerify} signatures" });
                continue;
            }

            results.Add(await VerifyOneAsync(verifier, message, header, tags, result, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async ValueTask<DkimSignatureResult> VerifyOneAsync(DkimVerifier verifier, MimeMessage message, Header header, Dictionary<string, string> tags,
        DkimSignatureResult result, CancellationToken cancellationToken)
    {
        if (tags.GetValueOrDefault("a") is { } algorithm && algorithm.Equals("rsa-sha1", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 8301 §3.1: verifiers MUST NOT consider rsa-sha1 signatures valid.
            return result with { Result = "policy", Reason = "rsa-sha1 is not accepted (RFC 8301)" };
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        bool hasTimestamp = long.TryParse(tags.GetValueOrDefault("t"), NumberStyles.None, CultureInfo.InvariantCulture, out long t);
        if (long.TryParse(tags.GetValueOrDefault("x"), NumberStyles.None, CultureInfo.InvariantCulture, out long x))
        {
            // RFC 6376 §3.5: x= before t= is invalid; an expired signature is a PERMFAIL.
            if (hasTimestamp && x < t)
            {
                return result with { Result = "permerror", Reason = "signature expires before it was made (x < t)" };
            }

            if (x < now)
            {
                return result with { Result = "fail", Reason = "signature expired" };
            }
        }

        if (hasTimestamp && t > now + (long)FutureAllowance.TotalSeconds)
        {
            return result with { Result = "permerror", Reason = "signature timestamp in the future" };
        }

        bool verified;
        try
        {
            verified = await verifier.VerifyAsync(message, header, cancellationToken).ConfigureAwait(false);
        }
        catch (DkimKeyLookupException ex)
        {
            return result with { Result = ex.Temporary ? "temperror" : "permerror", Reason = ex.Message };
        }
        catch (Org.BouncyCastle.Security.InvalidKeyException ex)
        {
            // RFC 6376 §3.6.1/§6.1.2: a published key of another type than a= names (k=ed25519 under an rsa-sha256
            // signature) is a PERMFAIL, not an error of ours.
            return result with { Result = "permerror", Reason = "the key does not fit the signature's algorithm: " + ex.Message };
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or NotSupportedException or InvalidOperationException
            or Org.BouncyCastle.Crypto.CryptoException)
        {
            return result with { Result = "permerror", Reason = "bad signature: " + ex.Message };
        }

        if (!verified)
        {
            return result with { Result = "fail", Reason = "bad signature data" };
        }

        if (tags.TryGetValue("l", out string? limit))
        {
            long signed = long.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out long l) ? l : -1;
            long body = await CanonicalBodyLengthAsync(message, tags.GetValueOrDefault("c"), cancellationToken).ConfigureAwait(false);
            if (signed < body)
            {
                return result with { Result = "policy", Reason = $"signature covers {signed} of {body} body octets (l=)" };
            }
        }

        return result with { Result = "pass" };
    }

    /// <summary>The body's length after the signature's canonicalization (§3.4), as the body hash would count it.</summary>
    private static async ValueTask<long> CanonicalBodyLengthAsync(MimeMessage message, string? canonicalization, CancellationToken cancellationToken)
    {
        if (message.Body is null)
        {
            return 0;
        }

        bool relaxed = canonicalization is { } c && c.Split('/') is { Length: 2 } parts && parts[1] == "relaxed";
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        await using var counter = new CanonicalBodyCounter(relaxed);
        await message.Body.WriteToAsync(options, counter, contentOnly: true, cancellationToken).ConfigureAwait(false);
        return counter.CanonicalLength;
    }

    private static string Tag(Dictionary<string, string> tags, string name) => tags.GetValueOrDefault(name) ?? "";
}

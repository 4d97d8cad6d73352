using System.Globalization;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dns;
using MimeKit;
using MimeKit.Cryptography;

namespace Mailroom.Policy.Arc;

/// <summary>
/// Validates the ARC chain of a message with MimeKit's <see cref="ArcVerifier"/> (RFC 8617 §5.2) and, for the DMARC
/// override, finds the newest hop sealed by a trusted forwarder that recorded <c>dmarc=pass</c> for the same From domain.
/// </summary>
public sealed class ArcChecker
{
    private readonly IDnsResolver _dns;
    private readonly ArcOptions _options;
    private readonly int _minimumRsaBits;
    private readonly DkimKeyCache _keys = new();

    public ArcChecker(IDnsResolver dns, ArcOptions options, int minimumRsaBits)
    {
        _dns = dns;
        _options = options;
        _minimumRsaBits = minimumRsaBits;
    }

    public async ValueTask<ArcVerdict> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.Headers.Contains(HeaderId.ArcSeal))
        {
            return new ArcVerdict("none");
        }

        var locator = new DnsDkimKeyLocator(_dns, _minimumRsaBits, _keys);
        var verifier = new ArcVerifier(locator) { MinimumRsaKeyLength = _minimumRsaBits };
        ArcValidationResult result;
        try
        {
            result = await verifier.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException)
        {
            return new ArcVerdict("fail") { Problem = ex.Message };
        }

        IReadOnlyList<ArcHop> hops = Hops(message);
        return result.Chain switch
        {
            ArcSignatureValidationResult.Pass => new ArcVerdict("pass") { Hops = hops },
            ArcSignatureValidationResult.None => new ArcVerdict("none"),
            _ when locator.SawTemporaryFailure => new ArcVerdict("temperror") { Hops = hops, Problem = "DNS error reading an ARC key" },
            _ => new ArcVerdict("fail") { Hops = hops, Problem = result.ChainErrors.ToString() },
        };
    }

    /// <summary>The trusted sealer that vouches for <paramref name="fromDomain"/>, or null.</summary>
    public string? TrustedVouch(ArcVerdict verdict, string? fromDomain)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Result != "pass" || fromDomain is null || _options.TrustedSealers.Count == 0)
        {
            return null;
        }

        foreach (ArcHop hop in verdict.Hops.Reverse())
        {
            if (!_options.TrustedSealers.Any(t => t.Equals(hop.Sealer, StringComparison.OrdinalIgnoreCase)) || hop.Results is null)
            {
                continue;
            }

            bool sawPass = hop.Results.Results.Any(r => r.Method.Equals("dmarc", StringComparison.OrdinalIgnoreCase)
                && r.Result.Equals("pass", StringComparison.OrdinalIgnoreCase)
                && r.Properties.Any(p => p.PropertyType == "header" && p.Property == "from" && p.Value.Equals(fromDomain, StringComparison.OrdinalIgnoreCase)));
            if (sawPass)
            {
                return hop.Sealer;
            }
        }

        return null;
    }

    private static List<ArcHop> Hops(MimeMessage message)
    {
        var hops = new List<ArcHop>();
        foreach (Header seal in message.Headers.Where(h => h.Id == HeaderId.ArcSeal))
        {
            Dictionary<string, string> tags = DkimTags.Parse(seal.Value);
            if (!int.TryParse(tags.GetValueOrDefault("i"), NumberStyles.None, CultureInfo.InvariantCulture, out int instance))
            {
                continue;
            }

            AuthenticationResults? results = null;
            foreach (Header aar in message.Headers.Where(h => h.Id == HeaderId.ArcAuthenticationResults))
            {
                if (AuthenticationResults.TryParse(aar.RawValue, out AuthenticationResults? parsed) && parsed.Instance == instance)
                {
                    results = parsed;
                    break;
                }
            }

            hops.Add(new ArcHop(instance, tags.GetValueOrDefault("d") ?? "", results));
        }

        return [.. hops.OrderBy(h => h.Instance)];
    }
}

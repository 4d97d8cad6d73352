using Mailroom.Policy.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// Finds public keys at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c> through the server's resolver (RFC 6376 §3.6.2),
/// checking the record's tags MimeKit leaves alone: <c>v=</c>, a revoked key (empty <c>p=</c>), <c>s=</c> service
/// types, <c>h=</c> hash algorithms, and the RSA key size floor (RFC 8301). Remembers whether any lookup failed
/// temporarily, so that ARC verification, which MimeKit reports only as pass or fail, can say <c>temperror</c>.
/// </summary>
internal sealed class DnsDkimKeyLocator : DkimPublicKeyLocatorBase
{
    private readonly IDnsResolver _dns;
    private readonly int _minimumRsaBits;
    private readonly DkimKeyCache _cache;

    public DnsDkimKeyLocator(IDnsResolver dns, int minimumRsaBits, DkimKeyCache cache)
    {
        _dns = dns;
        _minimumRsaBits = minimumRsaBits;
        _cache = cache;
    }

    public bool SawTemporaryFailure { get; private set; }

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        string name = $"{selector}._domainkey.{domain}";
        DnsLookup<string> lookup = await _dns.LookupTxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (lookup.Status == DnsLookupStatus.TemporaryFailure)
        {
            SawTemporaryFailure = true;
            throw new DkimKeyLookupException($"DNS error reading {name}: {lookup.Error}", temporary: true);
        }

        if (lookup.Status != DnsLookupStatus.Found)
        {
            throw new DkimKeyLookupException($"no key for signature at {name}", temporary: false);
        }

        // RFC 6376 §3.6.2.2: with several records, use the first that parses.
        DkimKeyLookupException? last = null;
        foreach (string record in lookup.Records)
        {
            try
            {
                return Parse(record, name);
            }
            catch (DkimKeyLookupException ex)
            {
                last = ex;
            }
        }

        throw last ?? new DkimKeyLookupException($"no key for signature at {name}", temporary: false);
    }

    private AsymmetricKeyParameter Parse(string record, string name)
    {
        Dictionary<string, string> tags = DkimTags.Parse(record);
        if (tags.TryGetValue("v", out string? version) && version != "DKIM1")
        {
            throw new DkimKeyLookupException($"{name}: unknown key record version v={version}", temporary: false);
        }

        if (!tags.TryGetValue("p", out string? key) || key.Length == 0)
        {
            throw new DkimKeyLookupException($"{name}: key revoked (empty p=)", temporary: false);
        }

        if (tags.TryGetValue("s", out string? services) && !services.Split(':').Any(s => s.Trim() is "*" or "email"))
        {
            throw new DkimKeyLookupException($"{name}: key not for email (s={services})", temporary: false);
        }

        if (tags.TryGetValue("h", out string? hashes) && !hashes.Split(':').Any(h => h.Trim().Equals("sha256", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyLookupException($"{name}: key does not allow sha256 (h={hashes})", temporary: false);
        }

        AsymmetricKeyParameter parameter;
        try
        {
            parameter = _cache.GetOrAdd(record, GetPublicKey);
        }
        catch (Exception ex) when (ex is FormatException or MimeKit.ParseException or ArgumentException or IOException
            or Org.BouncyCastle.Security.SecurityUtilityException or InvalidOperationException or InvalidCastException)
        {
            throw new DkimKeyLookupException($"{name}: unusable key: {ex.Message}", ex);
        }

        if (parameter is RsaKeyParameters rsa && rsa.Modulus.BitLength < _minimumRsaBits)
        {
            throw new DkimKeyLookupException($"{name}: RSA key of {rsa.Modulus.BitLength} bits is below {_minimumRsaBits}", temporary: false);
        }

        return parameter;
    }
}

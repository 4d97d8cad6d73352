using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;

namespace Mailroom.Policy.Dmarc;

/// <summary>
/// RFC 7489 evaluation: the record of the From domain, else of its organizational domain (§6.6.3), identifier
/// alignment of SPF and DKIM in relaxed or strict mode (§3.1), the subdomain policy and <c>pct</c> sampling (§6.6.4),
/// then the local policy: which requested policies are honoured (<see cref="DmarcOptions"/>) and the ARC override of
/// RFC 8617 §7.2 for chains sealed by a trusted forwarder.
/// </summary>
public sealed class DmarcChecker
{
    private readonly IDnsResolver _dns;
    private readonly PublicSuffixList _suffixes;
    private readonly DmarcOptions _options;
    private readonly Random _random;

    public DmarcChecker(IDnsResolver dns, PublicSuffixList suffixes, DmarcOptions options, Random random)
    {
        _dns = dns;
        _suffixes = suffixes;
        _options = options;
        _random = random;
    }

    public PublicSuffixList Suffixes => _suffixes;

    /// <param name="fromDomain">The RFC5322.From domain; null when the message has not exactly one From address.</param>
    /// <param name="spfDomain">The domain SPF checked (MAIL FROM, or HELO for a null sender).</param>
    /// <param name="arcVouch">A trusted sealer's name when the ARC chain is valid and that sealer saw DMARC pass.</param>
    public async ValueTask<DmarcVerdict> CheckAsync(string? fromDomain, SpfVerdict? spf, string spfDomain, IReadOnlyList<DkimSignatureResult> dkim,
        string? arcVouch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dkim);
        if (fromDomain is null)
        {
            return new DmarcVerdict("permerror", "") { Problem = "the message does not have exactly one From address" };
        }

        fromDomain = fromDomain.TrimEnd('.').ToLowerInvariant();
        string organization = _suffixes.OrganizationalDomain(fromDomain);
        (DmarcRecord? record, bool atOrganization, DmarcVerdict? failure) = await FindRecordAsync(fromDomain, organization, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        if (record is null)
        {
            return new DmarcVerdict("none", fromDomain);
        }

        bool spfAligned = spf is { Result: SpfResult.Pass } && Aligned(spfDomain, fromDomain, record.StrictSpf);
        bool dkimAligned = dkim.Any(d => d.Passed && Aligned(d.Domain, fromDomain, record.StrictDkim));
        DmarcPolicy requested = atOrganization && !fromDomain.Equals(organization, StringComparison.Ordinal) ? record.SubdomainPolicy ?? record.Policy : record.Policy;
        if (spfAligned || dkimAligned)
        {
            return new DmarcVerdict("pass", fromDomain) { Record = record, Requested = requested };
        }

        // §6.6.2: a DNS failure on an aligned identifier may hide a pass; a receiver about to reject should retry.
        bool mightPass = (spf is { Result: SpfResult.TempError } && Aligned(spfDomain, fromDomain, record.StrictSpf))
            || dkim.Any(d => d.Result == "temperror" && Aligned(d.Domain, fromDomain, record.StrictDkim));

        if (arcVouch is not null)
        {
            return new DmarcVerdict("pass", fromDomain) { Record = record, Requested = requested, Override = "arc", Problem = $"failed, but the ARC chain sealed by trusted {arcVouch} saw it pass" };
        }

        DmarcPolicy disposition = requested;
        if (disposition != DmarcPolicy.None && record.Percent < 100 && _random.Next(100) >= record.Percent)
        {
            // §6.6.4: mail sampled out of pct gets the next less strict policy.
            disposition = disposition == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : DmarcPolicy.None;
        }

        disposition = disposition switch
        {
            DmarcPolicy.Reject => _options.RejectPolicy,
            DmarcPolicy.Quarantine => _options.QuarantinePolicy == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : _options.QuarantinePolicy,
            _ => DmarcPolicy.None,
        };
        return new DmarcVerdict("fail", fromDomain) { Record = record, Requested = requested, Disposition = disposition, MightPassLater = mightPass };
    }

    /// <summary>§3.1: strict alignment is equality; relaxed alignment is the same organizational domain.</summary>
    public bool Aligned(string identifier, string fromDomain, bool strict)
    {
        identifier = identifier.TrimEnd('.').ToLowerInvariant();
        if (identifier.Equals(fromDomain, StringComparison.Ordinal))
        {
            return true;
        }

        return !strict && identifier.Length > 0
            && _suffixes.OrganizationalDomain(identifier).Equals(_suffixes.OrganizationalDomain(fromDomain), StringComparison.Ordinal);
    }

    private async ValueTask<(DmarcRecord? Record, bool AtOrganization, DmarcVerdict? Failure)> FindRecordAsync(string fromDomain, string organization, CancellationToken cancellationToken)
    {
        foreach ((string domain, bool atOrganization) in new[] { (fromDomain, false), (organization, true) }.DistinctBy(d => d.Item1))
        {
            DnsLookup<string> txt = await _dns.LookupTxtAsync("_dmarc." + domain, cancellationToken).ConfigureAwait(false);
            if (txt.Status == DnsLookupStatus.TemporaryFailure)
            {
                return (null, false, new DmarcVerdict("temperror", fromDomain) { Problem = $"DNS error reading _dmarc.{domain}: {txt.Error}", MightPassLater = true });
            }

            DmarcRecord[] records = [.. txt.Records.Select(DmarcRecord.TryParse).OfType<DmarcRecord>()];

            // §6.6.3: more than one record means no policy.
            if (records.Length == 1)
            {
                return (records[0], atOrganization, null);
            }
        }

        return (null, false, null);
    }
}

using System.Net;
using System.Net.Sockets;
using Mailroom.Policy.Dns;

namespace Mailroom.Policy.Spf;

/// <summary>
/// RFC 7208 <c>check_host()</c>: reads the domain's record (§4.4, §4.5), evaluates its mechanisms left to right
/// (§4.6, §5), follows <c>include</c> and <c>redirect</c>, enforces the limits of §4.6.4 and fetches the explanation
/// of a <c>fail</c> (§6.2). DNS trouble is <c>temperror</c>, never a guess.
/// </summary>
internal static class SpfEvaluator
{
    private enum Match
    {
        No,
        Yes,
        TempError,
        PermError,
    }

    public static ValueTask<SpfVerdict> CheckHostAsync(SpfContext context, string domain, CancellationToken cancellationToken) =>
        CheckHostAsync(context, domain, inInclude: false, cancellationToken);

    /// <summary>§4.3: a multi-label name with labels of 1 to 63 octets (one trailing dot allowed).</summary>
    public static bool IsValidDomain(string domain)
    {
        string name = domain.EndsWith('.') ? domain[..^1] : domain;
        if (name.Length is 0 or > 253 || !name.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (Range label in name.AsSpan().Split('.'))
        {
            int length = label.End.Value - label.Start.Value;
            if (length is 0 or > 63)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsSameOrSubdomain(string name, string domain)
    {
        name = name.TrimEnd('.');
        domain = domain.TrimEnd('.');
        return name.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || (name.Length > domain.Length && name.EndsWith(domain, StringComparison.OrdinalIgnoreCase) && name[^(domain.Length + 1)] == '.');
    }

    /// <summary>
    /// §5.5: the PTR names of the client address (at most <see cref="SpfLimits.MaxNameLookups"/>) whose own A/AAAA
    /// records contain the address. DNS errors here mean "no validated name", not an error.
    /// </summary>
    public static async ValueTask<IReadOnlyList<string>> ValidatedNamesAsync(SpfContext context, CancellationToken cancellationToken)
    {
        DnsLookup<string> ptr = await context.Dns.LookupPtrAsync(context.Address, cancellationToken).ConfigureAwait(false);
        if (ptr.Status != DnsLookupStatus.Found)
        {
            return [];
        }

        var validated = new List<string>();
        bool ipv6 = context.Address.AddressFamily == AddressFamily.InterNetworkV6;
        foreach (string name in ptr.Records.Take(context.Limits.MaxNameLookups))
        {
            DnsLookup<IPAddress> addresses = await context.Dns.LookupAddressAsync(name, ipv6, cancellationToken).ConfigureAwait(false);
            if (addresses.Status == DnsLookupStatus.Found && addresses.Records.Any(a => a.Equals(context.Address)))
            {
                validated.Add(name);
            }
        }

        return validated;
    }

    private static async ValueTask<SpfVerdict> CheckHostAsync(SpfContext context, string domain, bool inInclude, CancellationToken cancellationToken)
    {
        domain = domain.TrimEnd('.');
        if (!IsValidDomain(domain))
        {
            return new SpfVerdict(SpfResult.None, domain) { Problem = "not a valid domain name" };
        }

        DnsLookup<string> txt = await context.Dns.LookupTxtAsync(domain, cancellationToken).ConfigureAwait(false);
        if (txt.Status == DnsLookupStatus.TemporaryFailure)
        {
            return new SpfVerdict(SpfResult.TempError, domain) { Problem = $"DNS error reading the TXT records of {domain}: {txt.Error}" };
        }

        string[] records = [.. txt.Records.Where(SpfRecordParser.IsSpfRecord)];
        if (records.Length == 0)
        {
            return new SpfVerdict(SpfResult.None, domain) { Problem = $"{domain} publishes no SPF record" };
        }

        if (records.Length > 1)
        {
            return new SpfVerdict(SpfResult.PermError, domain) { Problem = $"{domain} publishes {records.Length} SPF records" };
        }

        string text = records[0];
        if (!SpfRecordParser.TryParse(text, out SpfRecord? record, out string? syntax))
        {
            return new SpfVerdict(SpfResult.PermError, domain) { Record = text, Problem = syntax };
        }

        foreach (SpfTerm term in record!.Terms)
        {
            if (term.QueriesDns && ++context.DnsTerms > context.Limits.MaxDnsTerms)
            {
                return new SpfVerdict(SpfResult.PermError, domain) { Record = text, Mechanism = term.Text, Problem = $"more than {context.Limits.MaxDnsTerms} DNS-querying terms" };
            }

            (Match match, string? problem) = await MatchAsync(context, term, domain, cancellationToken).ConfigureAwait(false);
            switch (match)
            {
                case Match.No:
                    continue;
                case Match.TempError:
                    return new SpfVerdict(SpfResult.TempError, domain) { Record = text, Mechanism = term.Text, Problem = problem };
                case Match.PermError:
                    return new SpfVerdict(SpfResult.PermError, domain) { Record = text, Mechanism = term.Text, Problem = problem };
                default:
                    break;
            }

            SpfResult result = term.Qualifier switch
            {
                '-' => SpfResult.Fail,
                '~' => SpfResult.SoftFail,
                '?' => SpfResult.Neutral,
                _ => SpfResult.Pass,
            };
            string? explanation = result == SpfResult.Fail && !inInclude && record.Explanation is not null
                ? await ExplainAsync(context, record.Explanation, domain, cancellationToken).ConfigureAwait(false)
                : null;
            return new SpfVerdict(result, domain) { Record = text, Mechanism = term.Text, Explanation = explanation };
        }

        if (record.Redirect is null)
        {
            return new SpfVerdict(SpfResult.Neutral, domain) { Record = text, Mechanism = "default" };
        }

        // §6.1: redirect counts as a DNS-querying term; a target without a record is a permerror.
        if (++context.DnsTerms > context.Limits.MaxDnsTerms)
        {
            return new SpfVerdict(SpfResult.PermError, domain) { Record = text, Mechanism = "redirect=" + record.Redirect, Problem = $"more than {context.Limits.MaxDnsTerms} DNS-querying terms" };
        }

        string target = await SpfMacro.ExpandAsync(record.Redirect, context, domain, explanation: false, cancellationToken).ConfigureAwait(false);
        SpfVerdict redirected = await CheckHostAsync(context, target, inInclude, cancellationToken).ConfigureAwait(false);
        return redirected.Result == SpfResult.None
            ? new SpfVerdict(SpfResult.PermError, domain) { Record = text, Mechanism = "redirect=" + record.Redirect, Problem = $"redirect target {target} has no SPF record" }
            : redirected;
    }

    private static async ValueTask<(Match Match, string? Problem)> MatchAsync(SpfContext context, SpfTerm term, string domain, CancellationToken cancellationToken)
    {
        switch (term.Kind)
        {
            case SpfMechanismKind.All:
                return (Match.Yes, null);
            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
                return (InNetwork(context.Address, term.Network!, term.Kind == SpfMechanismKind.Ip4 ? term.Ip4Prefix : term.Ip6Prefix) ? Match.Yes : Match.No, null);
            default:
                break;
        }

        string target = term.DomainSpec is null
            ? domain
            : await SpfMacro.ExpandAsync(term.DomainSpec, context, domain, explanation: false, cancellationToken).ConfigureAwait(false);
        target = target.TrimEnd('.');
        switch (term.Kind)
        {
            case SpfMechanismKind.Include:
                SpfVerdict included = await CheckHostAsync(context, target, inInclude: true, cancellationToken).ConfigureAwait(false);
                return included.Result switch
                {
                    SpfResult.Pass => (Match.Yes, null),
                    SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => (Match.No, null),
                    SpfResult.TempError => (Match.TempError, included.Problem),
                    _ => (Match.PermError, $"include:{target} gave {included.Keyword}" + (included.Problem is null ? "" : ": " + included.Problem)),
                };
            case SpfMechanismKind.A:
                return await MatchAddressesAsync(context, target, term, cancellationToken).ConfigureAwait(false);
            case SpfMechanismKind.Mx:
                return await MatchMxAsync(context, target, term, cancellationToken).ConfigureAwait(false);
            case SpfMechanismKind.Ptr:
                IReadOnlyList<string> names = await ValidatedNamesAsync(context, cancellationToken).ConfigureAwait(false);
                return (names.Any(n => IsSameOrSubdomain(n, target)) ? Match.Yes : Match.No, null);
            default:
                // exists: an A query whatever the client's address family (§5.7).
                if (!IsValidDomain(target))
                {
                    return Void(context, target);
                }

                DnsLookup<IPAddress> exists = await context.Dns.LookupAddressAsync(target, ipv6: false, cancellationToken).ConfigureAwait(false);
                return exists.Status switch
                {
                    DnsLookupStatus.Found => (Match.Yes, null),
                    DnsLookupStatus.TemporaryFailure => (Match.TempError, $"DNS error reading the A records of {target}: {exists.Error}"),
                    _ => Void(context, target),
                };
        }
    }

    private static async ValueTask<(Match, string?)> MatchAddressesAsync(SpfContext context, string target, SpfTerm term, CancellationToken cancellationToken)
    {
        if (!IsValidDomain(target))
        {
            return Void(context, target);
        }

        bool ipv6 = context.Address.AddressFamily == AddressFamily.InterNetworkV6;
        DnsLookup<IPAddress> lookup = await context.Dns.LookupAddressAsync(target, ipv6, cancellationToken).ConfigureAwait(false);
        return lookup.Status switch
        {
            DnsLookupStatus.Found => (lookup.Records.Any(a => InNetwork(context.Address, a, ipv6 ? term.Ip6Prefix : term.Ip4Prefix)) ? Match.Yes : Match.No, null),
            DnsLookupStatus.TemporaryFailure => (Match.TempError, $"DNS error reading the addresses of {target}: {lookup.Error}"),
            _ => Void(context, target),
        };
    }

    private static async ValueTask<(Match, string?)> MatchMxAsync(SpfContext context, string target, SpfTerm term, CancellationToken cancellationToken)
    {
        if (!IsValidDomain(target))
        {
            return Void(context, target);
        }

        DnsLookup<MxHost> mx = await context.Dns.LookupMxAsync(target, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case DnsLookupStatus.TemporaryFailure:
                return (Match.TempError, $"DNS error reading the MX records of {target}: {mx.Error}");
            case DnsLookupStatus.NotFound:
            case DnsLookupStatus.NoRecords:
                return Void(context, target);
            default:
                break;
        }

        // §4.6.4: more than 10 MX hosts to look up is a permerror for this mechanism.
        if (mx.Records.Count > context.Limits.MaxNameLookups)
        {
            return (Match.PermError, $"{target} has {mx.Records.Count} MX records (limit {context.Limits.MaxNameLookups})");
        }

        bool ipv6 = context.Address.AddressFamily == AddressFamily.InterNetworkV6;
        foreach (MxHost host in mx.Records.OrderBy(h => h.Preference))
        {
            if (host.Host is "" or "." || !IsValidDomain(host.Host))
            {
                continue;
            }

            DnsLookup<IPAddress> addresses = await context.Dns.LookupAddressAsync(host.Host, ipv6, cancellationToken).ConfigureAwait(false);
            if (addresses.Status == DnsLookupStatus.TemporaryFailure)
            {
                return (Match.TempError, $"DNS error reading the addresses of {host.Host}: {addresses.Error}");
            }

            if (addresses.Records.Any(a => InNetwork(context.Address, a, ipv6 ? term.Ip6Prefix : term.Ip4Prefix)))
            {
                return (Match.Yes, null);
            }
        }

        return (Match.No, null);
    }

    /// <summary>§4.6.4: a lookup that found nothing; past the limit it is a permerror.</summary>
    private static (Match, string?) Void(SpfContext context, string target) =>
        ++context.VoidLookups > context.Limits.MaxVoidLookups
            ? (Match.PermError, $"more than {context.Limits.MaxVoidLookups} void lookups (last: {target})")
            : (Match.No, null);

    /// <summary>§6.2: the one TXT record of the expanded <c>exp=</c> name, macro-expanded; nothing on any error.</summary>
    private static async ValueTask<string?> ExplainAsync(SpfContext context, string spec, string domain, CancellationToken cancellationToken)
    {
        string target = await SpfMacro.ExpandAsync(spec, context, domain, explanation: false, cancellationToken).ConfigureAwait(false);
        if (!IsValidDomain(target))
        {
            return null;
        }

        DnsLookup<string> txt = await context.Dns.LookupTxtAsync(target, cancellationToken).ConfigureAwait(false);
        if (txt.Status != DnsLookupStatus.Found || txt.Records.Count != 1 || !SpfMacro.IsValidMacroString(txt.Records[0], explanation: true))
        {
            return null;
        }

        string text = await SpfMacro.ExpandAsync(txt.Records[0], context, domain, explanation: true, cancellationToken).ConfigureAwait(false);
        return text.All(c => c is >= ' ' and <= '~') ? text : null;
    }

    public static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (network.IsIPv4MappedToIPv6)
        {
            network = network.MapToIPv4();
        }

        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        return new IPNetwork(MaskTo(network, prefix), prefix).Contains(address);
    }

    private static IPAddress MaskTo(IPAddress address, int prefix)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}

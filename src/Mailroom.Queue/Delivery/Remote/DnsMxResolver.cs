using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary><see cref="IMxResolver"/> over the server's one resolver (<see cref="IDnsResolver"/>: <c>Dns:Servers</c>, TTL cache).</summary>
internal sealed class DnsMxResolver : IMxResolver
{
    private readonly IDnsResolver _dns;

    public DnsMxResolver(IDnsResolver dns)
    {
        _dns = dns;
    }

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string domain, CancellationToken cancellationToken) => _dns.LookupMxAsync(domain, cancellationToken);

    public async ValueTask<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        DnsLookupStatus worst = DnsLookupStatus.NoRecords;
        string? error = null;
        foreach (bool ipv6 in new[] { false, true })
        {
            DnsLookup<IPAddress> lookup = await _dns.LookupAddressAsync(host, ipv6, cancellationToken).ConfigureAwait(false);
            if (lookup.Status == DnsLookupStatus.Found)
            {
                addresses.AddRange(lookup.Records);
            }
            else if (lookup.Status != DnsLookupStatus.NoRecords)
            {
                worst = lookup.Status;
                error = lookup.Error;
            }
        }

        return addresses.Count > 0
            ? new DnsLookup<IPAddress>(DnsLookupStatus.Found, addresses)
            : new DnsLookup<IPAddress>(worst, [], error);
    }
}

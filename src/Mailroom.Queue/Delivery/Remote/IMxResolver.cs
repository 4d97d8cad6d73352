using Mailroom.Policy.Dns;
using System.Net;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// The DNS lookups of outbound delivery, behind an interface so that tests answer them without any
/// network (the production implementation is <see cref="DnsMxResolver"/>).
/// </summary>
public interface IMxResolver
{
    /// <summary>The MX records of <paramref name="domain"/>.</summary>
    ValueTask<DnsLookup<MxHost>> LookupMxAsync(string domain, CancellationToken cancellationToken);

    /// <summary>The A and AAAA records of <paramref name="host"/> (IPv4 first).</summary>
    ValueTask<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken cancellationToken);
}

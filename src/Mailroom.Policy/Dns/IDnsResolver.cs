using System.Net;

namespace Mailroom.Policy.Dns;

/// <summary>
/// The one DNS resolver of the server (SPF, DKIM, DMARC, ARC and the queue's MX lookups), behind an interface so
/// that tests answer from a table (mox's <c>dns.Resolver</c>). Names are absolute host names without the trailing dot.
/// </summary>
public interface IDnsResolver
{
    /// <summary>The TXT records of <paramref name="name"/>, each record's character-strings joined (RFC 7208 §3.3).</summary>
    ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>The A records (<paramref name="ipv6"/> false) or AAAA records (true) of <paramref name="name"/>.</summary>
    ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken);

    /// <summary>The MX records of <paramref name="name"/>.</summary>
    ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken);

    /// <summary>The PTR records of <paramref name="address"/> (the names it maps back to).</summary>
    ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken);
}

using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// DNS answered synchronously from a zone the input wrote, for the policy targets, counting every question. TXT
/// records come from the zone (a name without any does not exist); a name starting with "match" has the client's
/// address (A or AAAA), one starting with "fail" fails temporarily, one starting with "mx" has one MX at "match." and
/// the name; the client's address has the PTR name "match.example.org".
/// </summary>
internal sealed class ZoneDns(IPAddress client) : IDnsResolver
{
    private static readonly DnsLookup<string> NoText = new(DnsLookupStatus.NotFound, []);

    private readonly Dictionary<string, List<string>> _txt = new(StringComparer.OrdinalIgnoreCase);

    public int Questions { get; private set; }

    public void AddTxt(string name, string text)
    {
        if (!_txt.TryGetValue(name, out List<string>? records))
        {
            records = [];
            _txt.Add(name, records);
        }

        records.Add(text);
    }

    public ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        Questions++;
        if (Fails(name))
        {
            return ValueTask.FromResult(new DnsLookup<string>(DnsLookupStatus.TemporaryFailure, [], "SERVFAIL"));
        }

        return ValueTask.FromResult(_txt.TryGetValue(name, out List<string>? records) ? new DnsLookup<string>(DnsLookupStatus.Found, records) : NoText);
    }

    public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken)
    {
        Questions++;
        if (Fails(name))
        {
            return ValueTask.FromResult(new DnsLookup<IPAddress>(DnsLookupStatus.TemporaryFailure, [], "SERVFAIL"));
        }

        bool family = ipv6 == (client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        return ValueTask.FromResult(name.StartsWith("match", StringComparison.OrdinalIgnoreCase) && family
            ? new DnsLookup<IPAddress>(DnsLookupStatus.Found, [client])
            : new DnsLookup<IPAddress>(DnsLookupStatus.NotFound, []));
    }

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken)
    {
        Questions++;
        if (Fails(name))
        {
            return ValueTask.FromResult(new DnsLookup<MxHost>(DnsLookupStatus.TemporaryFailure, [], "SERVFAIL"));
        }

        return ValueTask.FromResult(name.StartsWith("mx", StringComparison.OrdinalIgnoreCase)
            ? new DnsLookup<MxHost>(DnsLookupStatus.Found, [new MxHost(10, "match." + name)])
            : new DnsLookup<MxHost>(DnsLookupStatus.NotFound, []));
    }

    public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        Questions++;
        return ValueTask.FromResult(new DnsLookup<string>(DnsLookupStatus.Found, ["match.example.org"]));
    }

    private static bool Fails(string name) => name.StartsWith("fail", StringComparison.OrdinalIgnoreCase);
}

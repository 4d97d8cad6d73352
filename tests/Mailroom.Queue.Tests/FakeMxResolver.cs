using Mailroom.Policy.Dns;
using System.Net;
using Mailroom.Queue.Delivery.Remote;

namespace Mailroom.Queue.Tests;

/// <summary>DNS answers from a table; names not in it do not exist (NXDOMAIN).</summary>
internal sealed class FakeMxResolver : IMxResolver
{
    public Dictionary<string, DnsLookup<MxHost>> Mx { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DnsLookup<IPAddress>> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void AddMx(string domain, params (int Preference, string Host)[] records) =>
        Mx[domain] = new DnsLookup<MxHost>(DnsLookupStatus.Found, [.. records.Select(r => new MxHost(r.Preference, r.Host))]);

    public void AddHost(string host, string address = "127.0.0.1") =>
        Addresses[host] = new DnsLookup<IPAddress>(DnsLookupStatus.Found, [IPAddress.Parse(address)]);

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string domain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Mx.TryGetValue(domain, out var answer) ? answer
            : Addresses.ContainsKey(domain) ? new DnsLookup<MxHost>(DnsLookupStatus.NoRecords, []) : new DnsLookup<MxHost>(DnsLookupStatus.NotFound, []));

    public ValueTask<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Addresses.TryGetValue(host, out var answer) ? answer : new DnsLookup<IPAddress>(DnsLookupStatus.NotFound, []));
}

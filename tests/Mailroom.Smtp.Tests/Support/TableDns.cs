using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>A/TXT answers from a table (a name not in it does not exist); every question is counted.</summary>
internal sealed class TableDns : IDnsResolver
{
    private readonly Dictionary<string, IPAddress> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _texts = new(StringComparer.OrdinalIgnoreCase);
    private int _questions;

    public int Questions => Volatile.Read(ref _questions);

    public TableDns A(string name, string address)
    {
        _addresses[name] = IPAddress.Parse(address);
        return this;
    }

    public TableDns Txt(string name, string text)
    {
        _texts[name] = text;
        return this;
    }

    public ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _questions);
        return ValueTask.FromResult(_texts.TryGetValue(name, out string? text)
            ? new DnsLookup<string>(DnsLookupStatus.Found, [text])
            : new DnsLookup<string>(DnsLookupStatus.NotFound, []));
    }

    public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _questions);
        return ValueTask.FromResult(_addresses.TryGetValue(name, out IPAddress? address)
            ? new DnsLookup<IPAddress>(DnsLookupStatus.Found, [address])
            : new DnsLookup<IPAddress>(DnsLookupStatus.NotFound, []));
    }

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DnsLookup<MxHost>(DnsLookupStatus.NotFound, []));

    public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new DnsLookup<string>(DnsLookupStatus.NotFound, []));
}

using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Policy.Tests.Support;

/// <summary>
/// DNS answers from a table, as mox's tests fake its resolver: a name with no records does not exist (NXDOMAIN), a
/// name with records of other types answers NODATA, a name marked <see cref="Fail"/> gives SERVFAIL. CNAMEs are
/// followed. Every question is counted, so tests can assert what was asked.
/// </summary>
internal sealed class FakeDns : IDnsResolver
{
    private readonly Dictionary<string, List<(string Type, object Value)>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Questions { get; } = [];

    /// <summary>The TTL every answer carries (null: none, as a negative answer without SOA).</summary>
    public TimeSpan? Ttl { get; set; }

    public FakeDns Txt(string name, string text) => Add(name, "TXT", text);

    public FakeDns A(string name, string address) => Add(name, "A", IPAddress.Parse(address));

    public FakeDns Aaaa(string name, string address) => Add(name, "AAAA", IPAddress.Parse(address));

    public FakeDns Mx(string name, int preference, string host) => Add(name, "MX", new MxHost(preference, host));

    public FakeDns Ptr(string name, string target) => Add(name, "PTR", target);

    public FakeDns Cname(string name, string target) => Add(name, "CNAME", target);

    /// <summary>Every question about <paramref name="name"/> fails temporarily (a timeout or SERVFAIL).</summary>
    public FakeDns Fail(string name)
    {
        _failing.Add(name.TrimEnd('.'));
        return this;
    }

    /// <summary>The name exists (NOERROR) without records of any asked type.</summary>
    public FakeDns Exists(string name) => Add(name, "NONE", "");

    public ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken) => Lookup<string>(name, "TXT");

    public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken) => Lookup<IPAddress>(name, ipv6 ? "AAAA" : "A");

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) => Lookup<MxHost>(name, "MX");

    public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Lookup<string>(address.GetArpaName().TrimEnd('.'), "PTR");

    private FakeDns Add(string name, string type, object value)
    {
        name = name.TrimEnd('.');
        if (!_records.TryGetValue(name, out var list))
        {
            list = [];
            _records[name] = list;
        }

        list.Add((type, value));
        return this;
    }

    private ValueTask<DnsLookup<T>> Lookup<T>(string name, string type)
    {
        name = name.TrimEnd('.');
        lock (Questions)
        {
            Questions.Add($"{type} {name}");
        }

        for (int hops = 0; hops < 8; hops++)
        {
            if (_failing.Contains(name))
            {
                return ValueTask.FromResult(new DnsLookup<T>(DnsLookupStatus.TemporaryFailure, [], "SERVFAIL"));
            }

            if (!_records.TryGetValue(name, out var list))
            {
                return ValueTask.FromResult(new DnsLookup<T>(DnsLookupStatus.NotFound, [], "NXDOMAIN") { Ttl = Ttl });
            }

            T[] found = [.. list.Where(r => r.Type == type).Select(r => (T)r.Value)];
            if (found.Length > 0)
            {
                return ValueTask.FromResult(new DnsLookup<T>(DnsLookupStatus.Found, found) { Ttl = Ttl });
            }

            (string Type, object Value) cname = list.FirstOrDefault(r => r.Type == "CNAME");
            if (cname.Type is null)
            {
                return ValueTask.FromResult(new DnsLookup<T>(DnsLookupStatus.NoRecords, []));
            }

            name = ((string)cname.Value).TrimEnd('.');
        }

        return ValueTask.FromResult(new DnsLookup<T>(DnsLookupStatus.TemporaryFailure, [], "CNAME loop"));
    }
}

using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Mailroom.Policy.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> over DnsClient: the configured servers (<c>Dns:Servers</c>, else the system's), one
/// answer cache that honours each record's TTL up to <see cref="DnsOptions.MaxCacheTtl"/>, a timeout per query.
/// Network failures, SERVFAIL and REFUSED are <see cref="DnsLookupStatus.TemporaryFailure"/>: callers turn them into
/// RFC 7208 <c>temperror</c> and <c>451</c> replies, never into a permanent verdict.
/// </summary>
public sealed class DnsResolver : IDnsResolver
{
    private readonly LookupClient _client;

    public DnsResolver(IOptions<DnsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DnsOptions settings = options.Value;
        IPEndPoint[] servers = [.. settings.Servers.Select(s => DnsServerAddress.TryParse(s, out IPEndPoint? e) ? e! : throw new ArgumentException($"Dns:Servers: '{s}' is not an address"))];
        LookupClientOptions clientOptions = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        clientOptions.UseCache = true;
        clientOptions.MaximumCacheTimeout = settings.MaxCacheTtl;
        clientOptions.Timeout = settings.Timeout;
        clientOptions.Retries = settings.Retries;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = false;
        clientOptions.ContinueOnEmptyResponse = false;
        clientOptions.UseTcpFallback = true;
        _client = new LookupClient(clientOptions);
    }

    public async ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        (IDnsQueryResponse? response, DnsLookup<string>? failure) = await QueryAsync<string>(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        return failure ?? Answer(response!, response!.Answers.TxtRecords().Select(r => string.Concat(r.Text)));
    }

    public async ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken)
    {
        QueryType type = ipv6 ? QueryType.AAAA : QueryType.A;
        (IDnsQueryResponse? response, DnsLookup<IPAddress>? failure) = await QueryAsync<IPAddress>(name, type, cancellationToken).ConfigureAwait(false);
        AddressFamily family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return failure ?? Answer(response!, response!.Answers.OfType<AddressRecord>().Select(r => r.Address).Where(a => a.AddressFamily == family));
    }

    public async ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken)
    {
        (IDnsQueryResponse? response, DnsLookup<MxHost>? failure) = await QueryAsync<MxHost>(name, QueryType.MX, cancellationToken).ConfigureAwait(false);
        return failure ?? Answer(response!, response!.Answers.MxRecords().Select(r => new MxHost(r.Preference, r.Exchange.Value.TrimEnd('.'))));
    }

    public async ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        string name = address.GetArpaName().TrimEnd('.');
        (IDnsQueryResponse? response, DnsLookup<string>? failure) = await QueryAsync<string>(name, QueryType.PTR, cancellationToken).ConfigureAwait(false);
        return failure ?? Answer(response!, response!.Answers.PtrRecords().Select(r => r.PtrDomainName.Value.TrimEnd('.')));
    }

    private static DnsLookup<T> Answer<T>(IDnsQueryResponse response, IEnumerable<T> records)
    {
        T[] list = [.. records];
        if (list.Length == 0)
        {
            return new DnsLookup<T>(DnsLookupStatus.NoRecords, list) { Ttl = NegativeTtl(response) };
        }

        int seconds = response.Answers.Count == 0 ? 0 : response.Answers.Min(r => r.TimeToLive);
        return new DnsLookup<T>(DnsLookupStatus.Found, list) { Ttl = TimeSpan.FromSeconds(Math.Max(0, seconds)) };
    }

    /// <summary>RFC 2308 §5: a negative answer lives for the lesser of its SOA record's TTL and the SOA's MINIMUM field.</summary>
    private static TimeSpan? NegativeTtl(IDnsQueryResponse response)
    {
        SoaRecord? soa = response.Authorities.SoaRecords().FirstOrDefault();
        return soa is null ? null : TimeSpan.FromSeconds(Math.Max(0, Math.Min((long)soa.TimeToLive, soa.Minimum)));
    }

    private async ValueTask<(IDnsQueryResponse? Response, DnsLookup<T>? Failure)> QueryAsync<T>(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            return (null, new DnsLookup<T>(DnsLookupStatus.TemporaryFailure, [], ex.Message));
        }
        catch (Exception ex) when (ex is ArgumentException or SocketException or IOException)
        {
            // A name DnsClient cannot put in a question (a label over 63 octets) or a socket that cannot be used.
            return (null, new DnsLookup<T>(ex is ArgumentException ? DnsLookupStatus.NotFound : DnsLookupStatus.TemporaryFailure, [], ex.Message));
        }

        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => (response, null),
            DnsHeaderResponseCode.NotExistentDomain => (null, new DnsLookup<T>(DnsLookupStatus.NotFound, [], response.ErrorMessage) { Ttl = NegativeTtl(response) }),
            _ => (null, new DnsLookup<T>(DnsLookupStatus.TemporaryFailure, [], response.ErrorMessage)),
        };
    }
}

using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary><see cref="IMxResolver"/> over the system's name servers (DnsClient, with its answer cache).</summary>
internal sealed class DnsMxResolver : IMxResolver
{
    private static readonly QueryType[] AddressTypes = [QueryType.A, QueryType.AAAA];

    private readonly LookupClient _client = new(new LookupClientOptions
    {
        UseCache = true,
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        Timeout = TimeSpan.FromSeconds(10),
        Retries = 2,
    });

    public async ValueTask<DnsLookup<MxHost>> LookupMxAsync(string domain, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            return new DnsLookup<MxHost>(DnsLookupStatus.TemporaryFailure, [], ex.Message);
        }

        DnsLookupStatus status = Classify(response);
        if (status != DnsLookupStatus.Found)
        {
            return new DnsLookup<MxHost>(status, [], response.ErrorMessage);
        }

        MxHost[] records = [.. response.Answers.MxRecords().Select(r => new MxHost(r.Preference, r.Exchange.Value.TrimEnd('.')))];
        return new DnsLookup<MxHost>(records.Length == 0 ? DnsLookupStatus.NoRecords : DnsLookupStatus.Found, records);
    }

    public async ValueTask<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        DnsLookupStatus worst = DnsLookupStatus.NoRecords;
        string? error = null;
        foreach (QueryType type in AddressTypes)
        {
            IDnsQueryResponse response;
            try
            {
                response = await _client.QueryAsync(host, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            catch (DnsResponseException ex)
            {
                worst = DnsLookupStatus.TemporaryFailure;
                error = ex.Message;
                continue;
            }

            DnsLookupStatus status = Classify(response);
            if (status == DnsLookupStatus.Found)
            {
                addresses.AddRange(response.Answers.OfType<AddressRecord>().Select(r => r.Address));
            }
            else if (status != DnsLookupStatus.NoRecords)
            {
                worst = status;
                error = response.ErrorMessage;
            }
        }

        return addresses.Count > 0
            ? new DnsLookup<IPAddress>(DnsLookupStatus.Found, addresses)
            : new DnsLookup<IPAddress>(worst, [], error);
    }

    private static DnsLookupStatus Classify(IDnsQueryResponse response) => response.Header.ResponseCode switch
    {
        DnsHeaderResponseCode.NoError => response.Answers.Count > 0 ? DnsLookupStatus.Found : DnsLookupStatus.NoRecords,
        DnsHeaderResponseCode.NotExistentDomain => DnsLookupStatus.NotFound,
        _ => DnsLookupStatus.TemporaryFailure,
    };
}

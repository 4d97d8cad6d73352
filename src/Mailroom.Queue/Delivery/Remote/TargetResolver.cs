using Mailroom.Policy.Dns;
using System.Net;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// Turns a destination into addresses to try, per RFC 5321 §5.1: MX records sorted by preference and
/// shuffled among equal preferences; with no MX records, the domain's own A/AAAA records (the implicit MX);
/// a null MX (RFC 7505) or a non-existent domain bounces at once; DNS trouble defers.
/// </summary>
internal sealed class TargetResolver
{
    private readonly IMxResolver _resolver;
    private readonly int _maxAddresses;

    public TargetResolver(IMxResolver resolver, int maxAddresses)
    {
        _resolver = resolver;
        _maxAddresses = maxAddresses;
    }

    public async ValueTask<TargetResolution> ResolveAsync(string name, int port, bool mxLookup, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(name, out IPAddress? literal))
        {
            return new TargetResolution([new SmtpTarget(name, literal, port)], null);
        }

        if (!mxLookup)
        {
            return await ResolveHostAsync(name, port, cancellationToken).ConfigureAwait(false);
        }

        DnsLookup<MxHost> mx = await _resolver.LookupMxAsync(name, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case DnsLookupStatus.TemporaryFailure:
                return Fail(DeliveryStatus.Deferred, "4.4.3", $"Host or domain name not found. Name service error for name={name} type=MX: Host not found, try again");
            case DnsLookupStatus.NotFound:
                return Fail(DeliveryStatus.Bounced, "5.4.4", $"Host or domain name not found. Name service error for name={name} type=MX: Host not found");
            case DnsLookupStatus.NoRecords:
                // RFC 5321 §5.1: no MX records, so the domain itself is the implicit MX with preference 0.
                TargetResolution implicitMx = await ResolveHostAsync(name, port, cancellationToken).ConfigureAwait(false);
                return implicitMx.Failure is null or { Dsn: "4.4.3" }
                    ? implicitMx
                    : Fail(DeliveryStatus.Bounced, "5.4.4", $"Host or domain name not found. Name service error for name={name} type=A: Host not found");
            default:
                break;
        }

        // RFC 7505 §3: a single MX record with an empty exchange ("." ) means the domain accepts no mail.
        if (mx.Records.Count == 1 && mx.Records[0].Host is "" or ".")
        {
            return Fail(DeliveryStatus.Bounced, "5.1.10", $"Domain {name} does not accept mail (nullMX)");
        }

        var targets = new List<SmtpTarget>();
        bool temporary = false;
        foreach (MxHost host in Order(mx.Records))
        {
            if (targets.Count >= _maxAddresses)
            {
                break;
            }

            if (host.Host is "" or ".")
            {
                continue;
            }

            TargetResolution addresses = await ResolveHostAsync(host.Host, port, cancellationToken).ConfigureAwait(false);
            temporary |= addresses.Failure is { Status: DeliveryStatus.Deferred };
            targets.AddRange(addresses.Targets.Take(_maxAddresses - targets.Count));
        }

        if (targets.Count > 0)
        {
            return new TargetResolution(targets, null);
        }

        return temporary
            ? Fail(DeliveryStatus.Deferred, "4.4.3", $"Host or domain name not found. Name service error for the MX hosts of {name}: try again")
            : Fail(DeliveryStatus.Deferred, "4.4.4", $"No MX host for {name} has a valid address record");
    }

    /// <summary>RFC 5321 §5.1: lowest preference first; equal preferences in random order to spread the load.</summary>
    internal static IEnumerable<MxHost> Order(IReadOnlyList<MxHost> records) =>
        records.GroupBy(r => r.Preference).OrderBy(g => g.Key).SelectMany(g =>
        {
            MxHost[] same = [.. g];
            Random.Shared.Shuffle(same);
            return same;
        });

    private async ValueTask<TargetResolution> ResolveHostAsync(string host, int port, CancellationToken cancellationToken)
    {
        DnsLookup<IPAddress> lookup = await _resolver.LookupAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return lookup.Status switch
        {
            DnsLookupStatus.Found => new TargetResolution([.. lookup.Records.Select(a => new SmtpTarget(host, a, port))], null),
            DnsLookupStatus.TemporaryFailure => Fail(DeliveryStatus.Deferred, "4.4.3", $"Host or domain name not found. Name service error for name={host} type=A: Host not found, try again"),

            // A configured host that does not resolve is the administrator's to fix: keep the mail.
            _ => Fail(DeliveryStatus.Deferred, "4.4.4", $"Host or domain name not found. Name service error for name={host} type=A: Host not found"),
        };
    }

    private static TargetResolution Fail(DeliveryStatus status, string dsn, string text) =>
        new([], new RemoteFailure(status, dsn, text));
}

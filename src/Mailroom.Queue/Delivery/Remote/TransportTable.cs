using System.Net;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// Routing of remote recipients, as Postfix's trivial-rewrite does it: the transport map (full address,
/// then domain, then each parent domain as <c>.parent</c>, then <c>*</c>), else the relay host, else
/// the recipient domain's MX hosts.
/// </summary>
internal sealed class TransportTable
{
    private readonly RemoteDeliveryOptions _options;
    private readonly Dictionary<string, TransportRoute> _map = new(StringComparer.OrdinalIgnoreCase);
    private readonly TransportRoute? _relay;
    private readonly NetworkCredential? _relayCredential;

    public TransportTable(RemoteDeliveryOptions options)
    {
        _options = options;
        foreach (KeyValuePair<string, string> entry in options.Transports)
        {
            if (TransportRoute.TryParse(entry.Value, options.SmtpPort, out TransportRoute? route, out string? error))
            {
                _map[entry.Key.Trim()] = route!;
            }
            else
            {
                throw new InvalidOperationException($"Delivery:Transports:{entry.Key}: {error}");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.RelayHost))
        {
            _relay = TransportRoute.TryParseHost(options.RelayHost, options.SmtpPort, out TransportRoute? relay, out string? error)
                ? relay
                : throw new InvalidOperationException($"Delivery:RelayHost: {error}");
            if (!string.IsNullOrEmpty(options.RelayUser))
            {
                _relayCredential = new NetworkCredential(options.RelayUser, options.RelayPassword);
            }
        }
    }

    public Destination Route(string address)
    {
        int at = address.LastIndexOf('@');
        string domain = (at < 0 ? address : address[(at + 1)..]).ToLowerInvariant();
        TlsPolicy tls = RequiresTls(domain) ? Max(_options.Tls, TlsPolicy.Required) : _options.Tls;
        if (Lookup(address, domain) is { } route)
        {
            string host = route.Host ?? domain;
            return new Destination(Key(route, host), route, host, tls, null);
        }

        if (_relay is not null)
        {
            return new Destination(Key(_relay, _relay.Host!), _relay, _relay.Host!, _options.RelayTls, _relayCredential);
        }

        TransportRoute direct = TransportRoute.Direct(_options.SmtpPort);
        return new Destination(Key(direct, domain), direct, domain, tls, null);
    }

    private TransportRoute? Lookup(string address, string domain)
    {
        if (_map.Count == 0)
        {
            return null;
        }

        if (_map.TryGetValue(address, out TransportRoute? route) || _map.TryGetValue(domain, out route))
        {
            return route;
        }

        for (int dot = domain.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = domain.IndexOf('.', dot + 1))
        {
            if (_map.TryGetValue(domain[dot..], out route))
            {
                return route;
            }
        }

        return _map.GetValueOrDefault("*");
    }

    private bool RequiresTls(string domain)
    {
        foreach (string entry in _options.RequireTlsDomains)
        {
            if (string.Equals(entry, domain, StringComparison.OrdinalIgnoreCase)
                || (entry.StartsWith('.') && domain.EndsWith(entry, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static TlsPolicy Max(TlsPolicy a, TlsPolicy b) => a > b ? a : b;

    private static string Key(TransportRoute route, string host) =>
        string.Concat(route.MxLookup ? host : "[" + host + "]", ":", route.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

using System.Net;

namespace Mailroom.Net;

/// <summary>Lists of networks in CIDR notation (trusted networks, Postfix's <c>mynetworks</c>).</summary>
public static class NetworkList
{
    /// <summary>Parses CIDR entries (a bare address means that one host); the error names the bad entry.</summary>
    public static bool TryParse(IEnumerable<string> cidrs, out IReadOnlyList<IPNetwork> networks, out string? error) =>
        TryParse(cidrs, settingKey: null, out networks, out error);

    /// <summary>
    /// Parses CIDR entries (a bare address means that one host). On failure <paramref name="error"/> names the entry
    /// and the setting, e.g. <c>bad CIDR '10.0.0.0/33' in Smtp:TrustedNetworks</c>.
    /// </summary>
    public static bool TryParse(IEnumerable<string> cidrs, string? settingKey, out IReadOnlyList<IPNetwork> networks, out string? error)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        var parsed = new List<IPNetwork>();
        foreach (var raw in cidrs)
        {
            var entry = raw?.Trim() ?? string.Empty;
            if (!TryParseEntry(entry, out var network))
            {
                networks = [];
                error = settingKey is null ? $"bad CIDR '{entry}'" : $"bad CIDR '{entry}' in {settingKey}";
                return false;
            }

            parsed.Add(network);
        }

        networks = parsed;
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="address"/> (IPv4-mapped IPv6 taken as IPv4) is in one of <paramref name="networks"/>.</summary>
    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        for (var i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseEntry(string entry, out IPNetwork network)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(entry, out network);
        }

        // A bare number ("10") would parse as 0.0.0.10; only dotted or colon forms are addresses here.
        if ((entry.Contains('.', StringComparison.Ordinal) || entry.Contains(':', StringComparison.Ordinal))
            && IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        network = default;
        return false;
    }
}

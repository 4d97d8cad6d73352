using System.Globalization;
using System.Net;

namespace Mailroom.Policy.Dns;

/// <summary>Parses a <c>Dns:Servers</c> entry: <c>192.0.2.53</c>, <c>192.0.2.53:5353</c>, <c>::1</c> or <c>[::1]:5353</c>.</summary>
internal static class DnsServerAddress
{
    public static bool TryParse(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (IPAddress.TryParse(text, out IPAddress? bare) && !text.StartsWith('['))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Policy.Dnsbl;

/// <summary>
/// The name a list is asked about a client (RFC 5782 §2.1 for IPv4: octets reversed; §2.4 for IPv6: the 32 nibbles
/// reversed, each a label), then the list's zone.
/// </summary>
public static class DnsblQueryName
{
    public static string For(IPAddress client, string zone)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(zone);
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        client.TryWriteBytes(bytes, out int length);
        var name = new StringBuilder(80);
        if (client.AddressFamily == AddressFamily.InterNetwork)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                name.Append(bytes[i]).Append('.');
            }
        }
        else
        {
            const string hex = "0123456789abcdef";
            for (int i = length - 1; i >= 0; i--)
            {
                name.Append(hex[bytes[i] & 0xF]).Append('.').Append(hex[bytes[i] >> 4]).Append('.');
            }
        }

        return name.Append(zone).ToString();
    }
}

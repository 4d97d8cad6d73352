using System.Net;
using System.Net.Sockets;

namespace Mailroom.Net;

/// <summary>
/// The unit that per-client limits count (connections per IP, failed-login penalties): an IPv4 address as it is,
/// an IPv6 address by its /64 network. RFC 6177 and RFC 7934 give every IPv6 subscriber at least a /64, so a single
/// host can draw 2^64 source addresses: counted one by one, every per-address limit would be void.
/// </summary>
public static class ClientAddressBlock
{
    /// <summary>The address with an IPv4-mapped IPv6 address taken as IPv4 and an IPv6 one cut to its /64 (scope id dropped).</summary>
    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>How the block is written in logs and keys: <c>192.0.2.1</c>, <c>2001:db8:1:2::/64</c>.</summary>
    public static string Describe(IPAddress address)
    {
        IPAddress block = Of(address);
        return block.AddressFamily == AddressFamily.InterNetworkV6 ? block + "/64" : block.ToString();
    }
}

using System.Net;
using System.Net.Sockets;

namespace Mailroom.Net;

/// <summary>Creates listening sockets and turns bind failures into messages an administrator can act on.</summary>
internal static class ListenerSocket
{
    // Kestrel's default backlog: absorbs connection bursts while sessions are being dispatched.
    private const int Backlog = 512;

    public static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPV6_V6ONLY: "any" is bound as 0.0.0.0 and [::] side by side; a dual-mode [::] would take the
                // IPv4 port too and make the 0.0.0.0 bind fail.
                socket.DualMode = false;
            }

            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An IPv6 "any" endpoint on a host without IPv6 is skipped rather than failing start-up.</summary>
    public static bool IsMissingIPv6(IPEndPoint endPoint, SocketException ex) =>
        endPoint.Address.Equals(IPAddress.IPv6Any)
        && ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported or SocketError.AddressNotAvailable;

    public static string DescribeBindFailure(ListenerBinding binding, IPEndPoint endPoint, SocketException ex)
    {
        var prefix = $"cannot listen on {endPoint} ({binding.Name})";
        var setPort = binding.PortSettingKey is { } key ? $"set {key} to" : "configure";
        return ex.SocketErrorCode switch
        {
            SocketError.AccessDenied =>
                $"{prefix}: permission denied; run as root, grant CAP_NET_BIND_SERVICE (setcap 'cap_net_bind_service=+ep' $(which mailroom)), or {setPort} a port above 1023",
            SocketError.AddressAlreadyInUse =>
                $"{prefix}: address already in use; stop the other server on that port or {setPort} another port",
            SocketError.AddressNotAvailable =>
                $"{prefix}: the address is not assigned to this host",
            _ => $"{prefix}: {ex.Message}",
        };
    }
}

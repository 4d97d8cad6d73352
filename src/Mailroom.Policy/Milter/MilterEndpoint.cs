using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Policy.Milter;

/// <summary>Where a milter listens, parsed from Postfix's notation: <c>inet:host:port</c>, <c>inet:[::1]:port</c>, <c>unix:/path</c>.</summary>
internal sealed record MilterEndpoint(string? Host, int Port, string? SocketPath)
{
    public static bool TryParse(string text, out MilterEndpoint? endpoint)
    {
        endpoint = null;
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) && text.Length > 5)
        {
            endpoint = new MilterEndpoint(null, 0, text[5..]);
            return true;
        }

        if (!text.StartsWith("inet:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string rest = text[5..];
        int colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        string host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0)
        {
            return false;
        }

        endpoint = new MilterEndpoint(host, port, null);
        return true;
    }

    public async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        if (SocketPath is not null)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        var socket = IPAddress.TryParse(Host, out IPAddress? address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (address is not null)
            {
                await socket.ConnectAsync(address, Port, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(Host!, Port, cancellationToken).ConfigureAwait(false);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override string ToString() => SocketPath is not null ? $"unix:{SocketPath}" : $"inet:{Host}:{Port}";
}

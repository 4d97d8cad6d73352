using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Testing;

/// <summary>
/// A loopback TCP relay in front of a database server, so a test can take the database away mid-test without
/// root service control: <see cref="Refuse"/> drops every connection (a stopped server), <see cref="BlackHole"/>
/// accepts and never answers (a hung one), <see cref="Restore"/> relays again.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _acceptLoop;
    private volatile ProxyMode _mode = ProxyMode.Relay;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    private enum ProxyMode
    {
        Relay,
        Refuse,
        BlackHole,
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Refuse() => Cut(ProxyMode.Refuse);

    public void BlackHole() => Cut(ProxyMode.BlackHole);

    public void Restore() => _mode = ProxyMode.Relay;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseAll();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private void Cut(ProxyMode mode)
    {
        _mode = mode;
        CloseAll();
    }

    private void CloseAll()
    {
        foreach (Socket socket in _open.Keys)
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(_stop.Token);
            switch (_mode)
            {
                case ProxyMode.Refuse:
                    client.Dispose();
                    break;
                case ProxyMode.BlackHole:
                    _open[client] = 0;
                    break;
                default:
                    _ = RelayAsync(client);
                    break;
            }
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}

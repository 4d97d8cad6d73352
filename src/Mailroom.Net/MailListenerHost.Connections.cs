using System.Net.Sockets;
using System.Security.Authentication;
using Mailroom.Core.Telemetry;

namespace Mailroom.Net;

/// <summary>The accept loops and the per-connection pipeline: limits, implicit TLS, handler, close.</summary>
public sealed partial class MailListenerHost
{
    // After an accept error such as EMFILE the loop pauses briefly instead of spinning on the same error.
    private static readonly TimeSpan s_acceptErrorPause = TimeSpan.FromMilliseconds(100);

    private async Task AcceptLoopAsync(Listener listener)
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.Socket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (stopping.IsCancellationRequested
                && ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException ex)
            {
                NetLog.AcceptFailed(_logger, ex, listener.EndPoint, listener.Binding.Name);
                try
                {
                    await Task.Delay(s_acceptErrorPause, _timeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref _activeCount);
            // The session runs on the thread pool so that a handler's synchronous start never delays the next accept.
            _ = Task.Run(() => RunConnectionAsync(listener, socket), CancellationToken.None);
        }
    }

    private async Task RunConnectionAsync(Listener listener, Socket socket)
    {
        var binding = listener.Binding;
        MailConnection? connection = null;
        try
        {
            socket.NoDelay = true;
            connection = new MailConnection(binding.Name, socket, _certificates, _options.TlsHandshakeTimeout, _timeProvider, _logger);
            _connections[connection.Id] = connection;
            if (_tracer is { IsActive: true } tracer)
            {
                // Log:TracePeers: one check here, one at login; an untraced session never meets the tracer again.
                connection.Tracer = tracer;
                if (tracer.StartForPeer(connection) is { } trace)
                {
                    connection.StartTrace(trace);
                }
            }

            NetLog.ConnectionAccepted(_logger, connection.Id, binding.Name, connection.RemoteEndPoint);

            var address = connection.RemoteEndPoint.Address;
            var handler = binding.Handler;
            if (_limiter.TryAcquire(handler.ListenerClass, address, handler.IsExemptFromAddressLimit(address), out var slot) is { } rejection)
            {
                NetLog.ConnectionRejected(_logger, connection.Id, binding.Name, address, rejection);
                MailroomMetrics.Connections.Add(1, MailroomMetrics.Tag("service", binding.Name), MailroomMetrics.Tag("result", RefusalLabel(rejection)));
                if (!binding.ImplicitTls)
                {
                    await RejectAsync(connection, binding, rejection).ConfigureAwait(false);
                }

                return;
            }

            connection.Slot = slot;
            MailroomMetrics.Connections.Add(1, MailroomMetrics.Tag("service", binding.Name), MailroomMetrics.Tag("result", "accepted"));
            MailroomMetrics.Sessions.Add(1, MailroomMetrics.Tag("service", binding.Name));
            if (binding.ImplicitTls && !await TryImplicitTlsAsync(connection).ConfigureAwait(false))
            {
                return;
            }

            await binding.Handler.OnConnectedAsync(connection, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex) || connection?.ConnectionAborted.IsCancellationRequested == true)
        {
            // The client went away or the connection was aborted at shutdown: nothing to report.
        }
        catch (Exception ex)
        {
            NetLog.HandlerFailed(_logger, ex, connection?.Id ?? 0, binding.Name);
        }
        finally
        {
            if (connection?.Slot is not null)
            {
                MailroomMetrics.Sessions.Add(-1, MailroomMetrics.Tag("service", binding.Name));
            }

            connection?.ReleaseSlot();
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                _connections.TryRemove(connection.Id, out _);
                await connection.CloseAsync().ConfigureAwait(false);
                NetLog.ConnectionClosed(_logger, connection.Id);
            }

            if (Interlocked.Decrement(ref _activeCount) == 0 && _stopping.IsCancellationRequested)
            {
                _drained.TrySetResult();
            }
        }
    }

    private async ValueTask<bool> TryImplicitTlsAsync(MailConnection connection)
    {
        try
        {
            await connection.AuthenticateImplicitTlsAsync(_stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            NetLog.TlsHandshakeFailed(_logger, connection.Id, connection.RemoteEndPoint, connection.ListenerName, ex.Message);
            return false;
        }
    }

    private async ValueTask RejectAsync(MailConnection connection, ListenerBinding binding, ConnectionRejection rejection)
    {
        using var timeout = new CancellationTokenSource(s_rejectWriteTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            await binding.Handler.OnRejectedAsync(connection, rejection, linked.Token).ConfigureAwait(false);
            await connection.Output.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A client that does not read its refusal is simply closed.
        }
    }

    private static string RefusalLabel(ConnectionRejection rejection) => rejection switch
    {
        ConnectionRejection.TooManyConnectionsFromAddress => "refused_per_ip",
        _ => "refused_total",
    };

    private static bool IsTransportFailure(Exception ex) => ex is IOException or SocketException or ObjectDisposedException;
}

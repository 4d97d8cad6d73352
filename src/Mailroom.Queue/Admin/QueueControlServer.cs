using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Mailroom.Queue.Admin;

/// <summary>
/// The running queue manager's admin endpoint: a Unix domain socket <c>&lt;queue&gt;/control.sock</c> taking one
/// JSON line per connection (<c>{"command":"flush"}</c>) and answering one JSON line. Only local processes
/// that may open the queue directory can reach it.
/// </summary>
internal sealed partial class QueueControlServer : IAsyncDisposable
{
    private const int MaxRequestLength = 4096;

    private readonly QueueManager _manager;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public QueueControlServer(QueueManager manager, string path, ILogger logger)
    {
        _manager = manager;
        _path = path;
        _logger = logger;
    }

    public void Start()
    {
        try
        {
            // A socket file left by a crashed server refuses connections; the queue lock proves it is stale.
            File.Delete(_path);
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(_path));
            listener.Listen(16);
            _listener = listener;
            _acceptLoop = AcceptAsync(listener, _stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            ControlUnavailable(_logger, _path, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        if (_listener is not null)
        {
            File.Delete(_path);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, stopping);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using (client)
        {
            var stream = new NetworkStream(client, ownsSocket: false);
            await using (stream.ConfigureAwait(false))
            {
                ControlResponse response;
                try
                {
                    string line = await ReadLineAsync(stream, stopping).ConfigureAwait(false);
                    ControlRequest request = JsonSerializer.Deserialize(line, AdminJsonContext.Default.ControlRequest)
                        ?? throw new QueueAdminException("empty request");
                    response = await ExecuteAsync(request, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is QueueAdminException or JsonException)
                {
                    response = new ControlResponse(false, ex.Message, 0, null);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
                {
                    return;
                }

                try
                {
                    byte[] json = JsonSerializer.SerializeToUtf8Bytes(response, AdminJsonContext.Default.ControlResponse);
                    await stream.WriteAsync(json, stopping).ConfigureAwait(false);
                    await stream.WriteAsync("\n"u8.ToArray(), stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
                {
                    // The client went away; nothing to answer.
                }
            }
        }
    }

    private async Task<ControlResponse> ExecuteAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        string id = request.Id ?? "";
        switch (request.Command)
        {
            case "list":
                IReadOnlyList<QueuedMessageInfo> messages = _manager.List();
                return new ControlResponse(true, null, messages.Count, messages);
            case "flush":
                return new ControlResponse(true, null, _manager.Flush(), null);
            case "delete":
                return new ControlResponse(true, null, await _manager.DeleteAsync(id, cancellationToken).ConfigureAwait(false), null);
            case "hold":
                return new ControlResponse(true, null, await _manager.HoldAsync(id, cancellationToken).ConfigureAwait(false), null);
            case "release":
                return new ControlResponse(true, null, _manager.Release(id), null);
            case "limits":
                IReadOnlyList<Core.SendingCounterInfo> counters = _manager.SendingCounters?.Snapshot() ?? [];
                return new ControlResponse(true, null, counters.Count, null) { Counters = counters };
            default:
                throw new QueueAdminException($"unknown command '{request.Command}'");
        }
    }

    internal static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] one = new byte[512];
        while (buffer.Length < MaxRequestLength)
        {
            int read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            int newline = Array.IndexOf(one, (byte)'\n', 0, read);
            buffer.Write(one, 0, newline < 0 ? read : newline);
            if (newline >= 0)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Queue control socket {Path} unavailable; 'mailroom queue' commands cannot reach this server")]
    private static partial void ControlUnavailable(ILogger logger, string path, Exception exception);
}

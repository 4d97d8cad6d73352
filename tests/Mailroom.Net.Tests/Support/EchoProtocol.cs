using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Mailroom.Net.Tests.Support;

/// <summary>A tiny line protocol over <see cref="LineSession"/>, with hooks the tests observe.</summary>
internal sealed class EchoProtocol : IConnectionHandler
{
    private int _connected;

    public EchoProtocol(TimeProvider? timeProvider = null, int maxLineLength = 64, TimeSpan? idleTimeout = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        Options = new LineSessionOptions { MaxLineLength = maxLineLength, IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30) };
    }

    public TimeProvider TimeProvider { get; }

    public LineSessionOptions Options { get; }

    public ConcurrentQueue<string> Executed { get; } = new();

    public ConcurrentQueue<SessionEnd> Ends { get; } = new();

    public TaskCompletionSource SessionEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Connected => Volatile.Read(ref _connected);

    public Task OnConnectedAsync(MailConnection connection, CancellationToken stopping)
    {
        Interlocked.Increment(ref _connected);
        return new EchoSession(connection, this).RunAsync(stopping);
    }

    public ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken)
    {
        connection.Output.Write(Encoding.ASCII.GetBytes($"421 too many connections ({reason}) from {connection.RemoteEndPoint.Address}\r\n"));
        return default;
    }
}

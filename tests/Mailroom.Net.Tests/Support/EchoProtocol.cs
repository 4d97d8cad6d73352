using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Mailroom.Net.Tests.Support;

/// <summary>A tiny line protocol over <see cref="LineSession"/>, with hooks the tests observe.</summary>
internal sealed class EchoProtocol : IConnectionHandler
{
    private int _connected;
    private long _transferred;

    public EchoProtocol(
        TimeProvider? timeProvider = null,
        int maxLineLength = 64,
        TimeSpan? idleTimeout = null,
        ListenerClass listenerClass = ListenerClass.Mta,
        TimeSpan? loginTimeout = null,
        int minDataRate = 0)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        ListenerClass = listenerClass;
        Options = new LineSessionOptions
        {
            MaxLineLength = maxLineLength,
            IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(30),
            LoginTimeout = loginTimeout,
            MinDataRate = minDataRate,
        };
    }

    public ListenerClass ListenerClass { get; }

    /// <summary>Clients this listener trusts beyond Net's exemptions (as SMTP trusts its TrustedNetworks).</summary>
    public Func<System.Net.IPAddress, bool> Trusted { get; init; } = static _ => false;

    public TimeProvider TimeProvider { get; }

    public LineSessionOptions Options { get; }

    public ConcurrentQueue<string> Executed { get; } = new();

    public ConcurrentQueue<SessionEnd> Ends { get; } = new();

    public TaskCompletionSource SessionEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Raw bytes TRICKLE has taken so far (tests wait for them before moving a fake clock).</summary>
    public long Transferred => Interlocked.Read(ref _transferred);

    public void AddTransferred(long bytes) => Interlocked.Add(ref _transferred, bytes);

    public bool IsExemptFromAddressLimit(System.Net.IPAddress client) => Trusted(client);

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

using System.Net;
using System.Net.Sockets;
using Mailroom.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// Runs one protocol session per input over a loopback TCP connection, as the listener host would (a
/// <see cref="MailConnection"/> handed to the protocol's <see cref="IConnectionHandler"/>), without the host's accept
/// loop and limits: the client side writes the state prefix and the fuzzed bytes, closes its sending side and reads
/// every reply until the server closes. The session must end by itself once the client's input ends.
/// </summary>
internal sealed class LoopbackSessions : IDisposable
{
    // A session that outlives its client's input this long is stuck (the fuzzer's own -timeout is usually shorter).
    private static readonly TimeSpan SessionDeadline = TimeSpan.FromSeconds(60);

    private readonly Socket _listener;
    private readonly DirectoryInfo _tlsDirectory;
    private readonly TlsCertificateProvider _certificates;
    private readonly NetOptions _netOptions;

    public LoopbackSessions()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _tlsDirectory = System.IO.Directory.CreateTempSubdirectory("mailroom-fuzz-tls-");
        _netOptions = new NetOptions();
        _netOptions.Tls.TlsDirectory = _tlsDirectory.FullName;
        _netOptions.Tls.HostName = "mx.example.org";
        // Failed logins are part of what is fuzzed; the throttle's delays would only slow every run down.
        _netOptions.AuthThrottle.FreeFailures = int.MaxValue / 2;
        _netOptions.AuthThrottle.BlockAfter = int.MaxValue;
        _certificates = new TlsCertificateProvider(Options.Create(_netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
    }

    public FuzzLoggerFactory Logs { get; } = new();

    /// <summary>A fresh throttle per session, so no run depends on the failures of the runs before it.</summary>
    public AuthFailureThrottle NewThrottle() => new(Options.Create(_netOptions), TimeProvider.System);

    /// <summary>
    /// Runs a session of <paramref name="handler"/> fed <paramref name="prefix"/> then <paramref name="input"/>, checking the
    /// replies' framing when <paramref name="framing"/> is given; returns the reply bytes.
    /// </summary>
    public long Run(string listenerName, IConnectionHandler handler, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> input, ReplyFraming.Protocol? framing)
    {
        byte[] wire = [.. prefix, .. input];
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(_listener.LocalEndPoint!);
        Socket accepted = _listener.Accept();
        accepted.NoDelay = true; // as the listener host sets it
        var connection = new MailConnection(listenerName, accepted, _certificates, TimeSpan.FromSeconds(5), TimeProvider.System, Logs.CreateLogger("Mailroom.Net"));
        Task session = Task.Run(() => handler.OnConnectedAsync(connection, CancellationToken.None));
        ReplyFraming? checker = framing is { } protocol ? new ReplyFraming(protocol) : null;
        Task<long> replies = Task.Run(() => Drain(client, checker));
        try
        {
            client.Send(wire);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server closed first (QUIT, LOGOUT, a limit): the rest of the input is never read, as in real life.
        }

        if (!session.Wait(SessionDeadline))
        {
            throw new FuzzFailureException($"the {listenerName} session did not end within {SessionDeadline.TotalSeconds} s of its input");
        }

        connection.CloseAsync().AsTask().GetAwaiter().GetResult();
        long replyBytes = replies.GetAwaiter().GetResult();
        Logs.ThrowIfErrors();
        checker?.Complete();
        if (checker?.Error is { } error)
        {
            throw new FuzzFailureException($"the {listenerName} replies break the protocol's framing: {error}");
        }

        return replyBytes;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _tlsDirectory.Delete(recursive: true);
    }

    private static long Drain(Socket client, ReplyFraming? checker)
    {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = client.Receive(buffer)) > 0)
            {
                total += read;
                checker?.Feed(buffer.AsSpan(0, read));
            }
        }
        catch (SocketException)
        {
            // A reset after the server closed with input still unread.
        }

        return total;
    }
}

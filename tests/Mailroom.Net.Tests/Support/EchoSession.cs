using System.Buffers;
using System.Text;

namespace Mailroom.Net.Tests.Support;

/// <summary>
/// Commands: QUIT, STARTTLS, EVIL (records that it ran), SLOW (waits on a gate), BOOM (throws), TLS? (reports TLS),
/// DATA n (reads n raw bytes with CopyExactlyAsync), LOGIN (ends the login deadline), TRICKLE n (reads n raw bytes
/// reporting each piece as transfer progress); anything else is echoed as "250 text".
/// </summary>
internal sealed class EchoSession(MailConnection connection, EchoProtocol protocol)
    : LineSession(connection, protocol.Options, protocol.TimeProvider)
{
    protected override ValueTask OnStartAsync(CancellationToken ct) => Reply("220 echo ready");

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        var text = Encoding.ASCII.GetString(line.Span);
        protocol.Executed.Enqueue(text);
        var verb = text.Split(' ')[0].ToUpperInvariant();
        switch (verb)
        {
            case "QUIT":
                await Reply("221 bye");
                return SessionAction.Close;
            case "STARTTLS":
                await Reply("220 ready to start TLS");
                return SessionAction.StartTls;
            case "SLOW":
                protocol.SlowStarted.TrySetResult();
                await protocol.SlowGate.Task.WaitAsync(SessionAborted);
                await Reply("250 slow done");
                return SessionAction.Continue;
            case "BOOM":
                throw new InvalidOperationException("boom");
            case "TLS?":
                await Reply(Connection.Tls is { } tls ? $"250 secure {tls.ProtocolName} {tls.CipherSuiteName} {tls.KeyBits}" : "250 plain");
                return SessionAction.Continue;
            case "DATA":
                var count = long.Parse(text.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
                var received = new ArrayBufferWriter<byte>();
                await Input.CopyExactlyAsync(count, chunk => { foreach (var segment in chunk) { received.Write(segment.Span); } return default; }, SessionAborted);
                await Reply($"250 got {received.WrittenCount} bytes: {Encoding.ASCII.GetString(received.WrittenSpan)}");
                return SessionAction.Continue;
            case "LOGIN":
                EndLoginDeadline();
                await Reply("250 logged in");
                return SessionAction.Continue;
            case "TRICKLE":
                var expected = long.Parse(text.AsSpan(8), System.Globalization.CultureInfo.InvariantCulture);
                RestartIdleTimer();
                await Input.CopyExactlyAsync(expected, chunk =>
                {
                    ReportTransferProgress(chunk.Length);
                    protocol.AddTransferred(chunk.Length);
                    return default;
                }, SessionAborted);
                await Reply($"250 trickled {expected}");
                return SessionAction.Continue;
            default:
                await Reply("250 " + text);
                return SessionAction.Continue;
        }
    }

    protected override async ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct)
    {
        await Reply("500 line too long");
        return SessionAction.Continue;
    }

    protected override ValueTask OnIdleTimeoutAsync(CancellationToken ct) => Reply("421 idle timeout");

    protected override ValueTask OnShutdownAsync(CancellationToken ct) => Reply("421 shutting down");

    protected override ValueTask OnErrorAsync(CancellationToken ct) => Reply("421 internal error");

    protected override void OnTlsStarted() => protocol.Executed.Enqueue("<tls started>");

    protected override ValueTask OnEndAsync(SessionEnd reason)
    {
        protocol.Ends.Enqueue(reason);
        protocol.SessionEnded.TrySetResult();
        return default;
    }

    private ValueTask Reply(string text)
    {
        Output.Write(Encoding.ASCII.GetBytes(text + "\r\n"));
        return default;
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Testing;

/// <summary>
/// A scripted milter on loopback: answers option negotiation with the given actions and steps, then every packet with
/// what <see cref="Respond"/> returns, and records each command it got. Serves one conversation per connection.
/// </summary>
internal sealed class FakeMilter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <summary>The milter protocol's SMFIP_NR_HDR and SMFIP_NR_BODY: no reply to headers, to body chunks.</summary>
    public const uint NoReplyHeader = 0x80;
    public const uint NoReplyBody = 0x80000;

    /// <param name="actions">SMFIF_* flags the milter asks for (default all).</param>
    /// <param name="steps">SMFIP_* flags: steps it declines, steps it will not answer.</param>
    public FakeMilter(uint actions = 0x1FF, uint steps = 0, Func<byte, byte[], IEnumerable<byte[]>?>? respond = null)
    {
        Actions = actions;
        Steps = steps;
        Respond = respond ?? ((_, _) => null);
        _listener.Start();
        _serving = ServeAsync();
    }

    public uint Actions { get; set; }

    public uint Steps { get; set; }

    /// <summary>The packets to send for a command (code, data); null: the default, <c>c</c> (continue) when a reply is due.</summary>
    public Func<byte, byte[], IEnumerable<byte[]>?> Respond { get; set; }

    /// <summary>Extra bytes after the three negotiation fields (macro lists).</summary>
    public byte[] NegotiationTail { get; set; } = [];

    private readonly SemaphoreSlim _ended = new(0);

    /// <summary>Everything received so far; read it after <see cref="EndedAsync"/>.</summary>
    public List<(char Code, byte[] Data)> Received { get; } = [];

    /// <summary>Waits (at most 10 s) until a conversation has ended on this side.</summary>
    public async Task EndedAsync()
    {
        if (!await _ended.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("the milter conversation did not end");
        }
    }

    public string Address => $"inet:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public IEnumerable<char> Codes => Received.Select(r => r.Code);

    public static byte[] Packet(char code, params byte[][] parts)
    {
        int length = 1 + parts.Sum(p => p.Length);
        var packet = new byte[4 + length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)length);
        packet[4] = (byte)code;
        int at = 5;
        foreach (byte[] part in parts)
        {
            part.CopyTo(packet, at);
            at += part.Length;
        }

        return packet;
    }

    public static byte[] Z(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private async Task ServeAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                await using var stream = new NetworkStream(socket);
                try
                {
                    await ConverseAsync(stream);
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    // The client gave up on this conversation; serve the next one.
                }

                _ended.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the client went away.
        }
    }

    private async Task ConverseAsync(NetworkStream stream)
    {
        var buffer = new byte[0];
        var chunk = new byte[8192];
        while (true)
        {
            int used = 0;
            while (buffer.Length - used >= 5 && BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(used)) is var length && buffer.Length - used - 4 >= length)
            {
                byte code = buffer[used + 4];
                byte[] data = buffer.AsSpan(used + 5, (int)length - 1).ToArray();
                used += 4 + (int)length;
                lock (Received)
                {
                    Received.Add(((char)code, data));
                }

                foreach (byte[] reply in Answer(code, data))
                {
                    await stream.WriteAsync(reply, _stop.Token);
                }

                if (code == (byte)'Q')
                {
                    return;
                }
            }

            buffer = buffer[used..];
            int read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return;
            }

            buffer = [.. buffer, .. chunk.AsSpan(0, read)];
        }
    }

    private IEnumerable<byte[]> Answer(byte code, byte[] data)
    {
        if (code == (byte)'O')
        {
            return [Packet('O', U32(6), U32(Actions), U32(Steps), NegotiationTail)];
        }

        if (Respond(code, data) is { } scripted)
        {
            return scripted;
        }

        bool silent = code switch
        {
            (byte)'D' or (byte)'Q' or (byte)'A' => true,
            (byte)'L' => (Steps & NoReplyHeader) != 0,
            (byte)'B' => (Steps & NoReplyBody) != 0,
            _ => false,
        };
        return silent ? [] : [Packet('c')];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
        _ended.Dispose();
    }
}

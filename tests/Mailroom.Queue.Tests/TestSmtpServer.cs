using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Queue.Tests;

/// <summary>A scripted SMTP server on 127.0.0.1 (ephemeral port) that records what it receives.</summary>
internal sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _rcptCount;

    public TestSmtpServer()
    {
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Reply to RCPT TO for an address and the how-many-th RCPT overall (0-based); null means 250.</summary>
    public Func<string, int, string?> RcptReply { get; set; } = (_, _) => null;

    public string DataReply { get; set; } = "250 2.0.0 Ok: queued as TEST1";

    public bool AdvertiseDsn { get; set; } = true;

    public int Connections;

    public ConcurrentQueue<(string MailFrom, string[] Recipients, byte[] Data)> Messages { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref Connections);
                sessions.Add(SessionAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(sessions);
    }

    private async Task SessionAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                await WriteAsync(stream, "220 sink.test ESMTP");
                string mailFrom = "";
                var recipients = new List<string>();
                while (await ReadLineAsync(stream) is { } line)
                {
                    string verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await WriteAsync(stream, "250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n" + (AdvertiseDsn ? "250-DSN\r\n" : "") + "250 SIZE 10000000");
                            break;
                        case "MAIL":
                            mailFrom = line;
                            recipients.Clear();
                            await WriteAsync(stream, "250 2.1.0 Ok");
                            break;
                        case "RCPT":
                            string address = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];
                            string? reply = RcptReply(address, Interlocked.Increment(ref _rcptCount) - 1);
                            if (reply is null)
                            {
                                recipients.Add(address);
                            }

                            await WriteAsync(stream, reply ?? "250 2.1.5 Ok");
                            break;
                        case "DATA":
                            await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                            byte[] data = await ReadDataAsync(stream);
                            Messages.Enqueue((mailFrom, [.. recipients], data));
                            await WriteAsync(stream, DataReply);
                            break;
                        case "QUIT":
                            await WriteAsync(stream, "221 2.0.0 Bye");
                            return;
                        default:
                            await WriteAsync(stream, "250 2.0.0 Ok");
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static Task WriteAsync(NetworkStream stream, string reply) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n")).AsTask();

    private static async Task<byte[]?> ReadRawLineAsync(NetworkStream stream)
    {
        var line = new MemoryStream();
        byte[] one = new byte[1];
        while (line.Length < 1_000_000)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            line.WriteByte(one[0]);
            if (one[0] == '\n')
            {
                return line.ToArray();
            }
        }

        return line.ToArray();
    }

    private static async Task<string?> ReadLineAsync(NetworkStream stream) =>
        await ReadRawLineAsync(stream) is { } raw ? Encoding.UTF8.GetString(raw).TrimEnd('\r', '\n') : null;

    private static async Task<byte[]> ReadDataAsync(NetworkStream stream)
    {
        var data = new MemoryStream();
        while (await ReadRawLineAsync(stream) is { } line)
        {
            if (line.AsSpan().SequenceEqual(".\r\n"u8))
            {
                break;
            }

            // RFC 5321 §4.5.2: remove the stuffed dot.
            int skip = line.Length > 1 && line[0] == '.' ? 1 : 0;
            data.Write(line, skip, line.Length - skip);
        }

        return data.ToArray();
    }
}

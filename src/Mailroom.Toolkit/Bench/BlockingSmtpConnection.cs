using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Toolkit.Smtp;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// A plain-TCP SMTP client connection doing blocking socket calls on its sender's own thread. Every method
/// completes synchronously, so a message costs only its send and receive system calls: no epoll registration, no
/// readiness wake-up and no thread-pool hop per reply, which on a loaded machine cost more CPU than the SMTP
/// exchange itself. Timeouts are the socket's own (SO_SNDTIMEO, which also bounds a blocking connect on Linux,
/// and SO_RCVTIMEO); cancellation closes the socket, which ends a blocked call.
/// </summary>
internal sealed class BlockingSmtpConnection : IBenchConnection
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private CancellationTokenRegistration _cancellation;
    private int _start;
    private int _end;

    private BlockingSmtpConnection(Socket socket, byte[] buffer)
    {
        _socket = socket;
        _buffer = buffer;
    }

    public bool Pipelining { get; set; }

    /// <summary>
    /// Connects. <paramref name="buffer"/> holds received replies; the caller reuses it for its connections one
    /// after another, and a reply line longer than it fails the connection.
    /// </summary>
    public static BlockingSmtpConnection Connect(EndPoint endPoint, TimeSpan timeout, byte[] buffer, CancellationToken cancellationToken)
    {
        int milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendTimeout = milliseconds,
            ReceiveTimeout = milliseconds,
        };
        var connection = new BlockingSmtpConnection(socket, buffer);
        try
        {
            connection._cancellation = cancellationToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket);
            socket.Connect(endPoint);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SmtpReply> CommandAsync(string command, bool keepLines = false)
    {
        Write(Encoding.ASCII.GetBytes(command + "\r\n"));
        return ReadReplyAsync(keepLines);
    }

    private void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[_socket.Send(data)..];
        }
    }

    /// <summary>Reads one possibly multi-line reply (<c>250-…</c> lines until <c>250 …</c>, RFC 5321 §4.2.1).</summary>
    public ValueTask<SmtpReply> ReadReplyAsync(bool keepLines = false)
    {
        List<string>? lines = null;
        while (true)
        {
            int offset = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (offset < 0)
            {
                Fill();
                continue;
            }

            if (offset < 3)
            {
                throw new IOException("Malformed SMTP reply line.");
            }

            ReadOnlySpan<byte> line = _buffer.AsSpan(_start, offset).TrimEnd((byte)'\r');
            int code = SmtpWireClient.ParseCode(line);
            bool last = line.Length == 3 || line[3] != (byte)'-';
            if (keepLines || code >= 400)
            {
                lines ??= [];
                lines.Add(line.Length > 4 ? Encoding.UTF8.GetString(line[4..]) : string.Empty);
            }

            _start += offset + 1;
            if (last)
            {
                return new ValueTask<SmtpReply>(new SmtpReply(code, lines));
            }
        }
    }

    private void Fill()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("SMTP reply line too long.");
        }

        int read = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("Server closed the connection.");
        }

        _end += read;
    }

    private void Dispose()
    {
        _cancellation.Dispose();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

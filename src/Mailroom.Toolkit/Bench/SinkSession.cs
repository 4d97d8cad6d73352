using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// One sink connection. Replies are collected in a buffer and written only when every complete command already
/// received has been answered (RFC 2920 §3.2: a pipelined group's replies leave as one packet). A blocking
/// session (run on its own thread by <see cref="SmtpSink"/>) reads and writes the socket with blocking calls until
/// TLS starts; every other session, and every TLS stream, is asynchronous.
/// </summary>
internal sealed partial class SinkSession
{
    private readonly SmtpSink _sink;
    private readonly Socket _socket;
    private readonly X509Certificate2? _certificate;
    private const int InputSize = 32768;
    private readonly byte[] _input = ArrayPool<byte>.Shared.Rent(InputSize);
    private readonly ArrayBufferWriter<byte> _output = new(1024);

    // Null until TLS starts: plain sessions use the socket directly, without a stream per connection.
    private Stream? _stream;
    private bool _blocking;
    private int _start;
    private int _end;
    private Mode _mode;
    private DataTerminatorScanner _scanner;
    private long _bdatRemaining;
    private long _bdatChunkSize;
    private bool _bdatLast;
    private bool _hasMail;
    private int _recipients;
    private long _messageBytes;
    private bool _discardingLongLine;

    public SinkSession(SmtpSink sink, Socket socket, X509Certificate2? certificate, bool blocking)
    {
        _sink = sink;
        _socket = socket;
        _certificate = certificate;
        _blocking = blocking;
    }

    private enum Mode
    {
        Command,
        Data,
        Bdat,
        Closed,
    }

    private SinkSettings Settings => _sink.Settings;

    /// <summary>
    /// Serves the connection. A blocking session completes synchronously unless it starts TLS; stopping closes
    /// its socket, which ends a blocked call.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        CancellationTokenRegistration closeOnStop = _blocking ? stopping.UnsafeRegister(static s => ((Socket)s!).Dispose(), _socket) : default;
        try
        {
            if (Settings.ImplicitTls)
            {
                await UpgradeAsync(stopping).ConfigureAwait(false);
            }

            Write($"220 {Settings.HostName} ESMTP Mailroom sink\r\n");
            while (_mode != Mode.Closed)
            {
                await FlushAsync(stopping).ConfigureAwait(false);
                if (_start == _end)
                {
                    _start = _end = 0;
                }
                else if (_end == InputSize)
                {
                    Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                int read = await ReadAsync(stopping).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                _end += read;
                await ProcessAsync(stopping).ConfigureAwait(false);
            }

            await FlushAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the sink is stopping: nothing to answer.
        }
        finally
        {
            await closeOnStop.DisposeAsync().ConfigureAwait(false);
            if (_stream is null)
            {
                _socket.Dispose();
            }
            else
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }

            ArrayPool<byte>.Shared.Return(_input);
        }
    }

    private ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        int room = Math.Min(_input.Length, InputSize) - _end;
        if (_stream is not null)
        {
            return _stream.ReadAsync(_input.AsMemory(_end, room), cancellationToken);
        }

        return _blocking
            ? new ValueTask<int>(_socket.Receive(_input, _end, room, SocketFlags.None))
            : _socket.ReceiveAsync(_input.AsMemory(_end, room), SocketFlags.None, cancellationToken);
    }

    /// <summary>Consumes everything complete in the input buffer.</summary>
    private async ValueTask ProcessAsync(CancellationToken cancellationToken)
    {
        while (_start < _end && _mode != Mode.Closed)
        {
            switch (_mode)
            {
                case Mode.Data:
                    int used = _scanner.Scan(_input.AsSpan(_start, _end - _start));
                    int consumed = used < 0 ? _end - _start : used;
                    _messageBytes += consumed;
                    _start += consumed;
                    if (used >= 0)
                    {
                        _mode = Mode.Command;
                        EndOfMessage();
                    }

                    break;

                case Mode.Bdat:
                    int take = (int)Math.Min(_bdatRemaining, _end - _start);
                    _start += take;
                    _bdatRemaining -= take;
                    _messageBytes += take;
                    if (_bdatRemaining == 0)
                    {
                        _mode = Mode.Command;
                        EndOfChunk();
                    }

                    break;

                default:
                    int lf = _input.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                    if (lf < 0)
                    {
                        if (_end - _start > Settings.MaxLineLength)
                        {
                            // Drop what is buffered of an over-long line and answer once its end arrives.
                            _discardingLongLine = true;
                            _start = _end;
                        }

                        return;
                    }

                    ReadOnlySpan<byte> line = _input.AsSpan(_start, lf).TrimEnd((byte)'\r');
                    _start += lf + 1;
                    if (_discardingLongLine || line.Length > Settings.MaxLineLength)
                    {
                        _discardingLongLine = false;
                        Write("500 5.5.0 Error: line too long\r\n");
                        break;
                    }

                    string verb = VerbOf(line, out ReadOnlySpan<byte> rest);

                    // Only BDAT reads its argument; other commands' arguments are not needed to discard mail.
                    string argument = ReferenceEquals(verb, "BDAT") ? Encoding.ASCII.GetString(rest) : string.Empty;
                    if (await CommandAsync(verb, argument, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
            }
        }
    }

    private void Write(string reply)
    {
        int length = Encoding.ASCII.GetByteCount(reply);
        Encoding.ASCII.GetBytes(reply, _output.GetSpan(length));
        _output.Advance(length);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        if (_stream is not null)
        {
            await _stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        else if (_blocking)
        {
            ReadOnlySpan<byte> rest = _output.WrittenSpan;
            while (!rest.IsEmpty)
            {
                rest = rest[_socket.Send(rest)..];
            }
        }
        else
        {
            for (ReadOnlyMemory<byte> rest = _output.WrittenMemory; !rest.IsEmpty;)
            {
                rest = rest[await _socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
            }
        }

        _output.ResetWrittenCount();
    }

    private async ValueTask UpgradeAsync(CancellationToken cancellationToken)
    {
        // TLS runs asynchronously even in a blocking session: its thread then waits for the session to end.
        _blocking = false;
        var ssl = new SslStream(new NetworkStream(_socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        _stream = ssl;
        await ssl.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private void WriteQueueReply()
    {
        ReadOnlySpan<byte> prefix = "250 2.0.0 Ok: queued as "u8;
        Span<byte> span = _output.GetSpan(prefix.Length + 32);
        prefix.CopyTo(span);
        int length = prefix.Length;
        _sink.NextQueueId().TryFormat(span[length..], out int written, "X10", CultureInfo.InvariantCulture);
        length += written;
        "\r\n"u8.CopyTo(span[length..]);
        _output.Advance(length + 2);
    }

    private void ResetTransaction()
    {
        _hasMail = false;
        _recipients = 0;
        _messageBytes = 0;
        _bdatLast = false;
    }

    private void EndOfMessage()
    {
        _sink.Stats.AddBytes(_messageBytes);
        if (_sink.Settings.MessageFailure is { } rule && rule.ShouldFail())
        {
            _sink.Stats.AddRejectedMessage();
            Write(rule.Reply("message"));
        }
        else
        {
            WriteQueueReply();
            _sink.OnMessageAccepted();
        }

        ResetTransaction();
    }

    private void EndOfChunk()
    {
        if (_recipients == 0)
        {
            // RFC 3030 §2: a chunk is still read in full before it is refused.
            Write("554 5.5.1 Error: no valid recipients\r\n");
            ResetTransaction();
        }
        else if (_bdatLast)
        {
            EndOfMessage();
        }
        else
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"250 2.0.0 {_bdatChunkSize} octets received\r\n"));
        }
    }
}

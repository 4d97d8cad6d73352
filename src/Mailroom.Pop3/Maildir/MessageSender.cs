using System.Buffers;
using System.IO.Pipelines;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// Streams a message to the client in chunks (never the whole message in memory): bare LF becomes CRLF,
/// lines starting with "." get another one (RFC 1939 §3 byte-stuffing), and the multi-line response ends with
/// <c>.CRLF</c>. For TOP (RFC 1939 §7) it stops after the header, the blank line and the requested body lines.
/// </summary>
internal sealed class MessageSender
{
    private const int ChunkSize = 64 * 1024;

    private readonly PipeWriter _output;
    private readonly long _bodyLineLimit;
    private bool _atLineStart = true;
    private bool _previousCr;
    private long _lineBytes;
    private bool _inBody;
    private long _bodyLines;

    /// <param name="output">Where to write.</param>
    /// <param name="bodyLineLimit">Body lines to send after the header (TOP); -1 for the whole message (RETR).</param>
    public MessageSender(PipeWriter output, long bodyLineLimit)
    {
        _output = output;
        _bodyLineLimit = bodyLineLimit;
    }

    /// <summary>Bytes written before the terminating <c>.CRLF</c>, dot-stuffing not counted.</summary>
    public long Sent { get; private set; }

    /// <param name="content">The open message, at its start.</param>
    /// <param name="beforeFlush">Called before each flush of a full chunk (to re-arm the session's send timeout).</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    public async ValueTask SendAsync(Stream content, Action beforeFlush, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            bool done = false;
            while (!done)
            {
                // A synchronous read: a stored message is read once, mostly from the page cache, and .NET's ReadAsync of
                // a regular file only moves the same blocking read to another pool thread (one more hop per RETR).
                int read = content.Read(buffer.AsSpan(0, ChunkSize));
                if (read == 0)
                {
                    break;
                }

                done = WriteChunk(buffer.AsSpan(0, read));

                // A short read of a file (or of a memory stream) is its end: no second read just to be told so.
                done |= read < ChunkSize;
                if (!done)
                {
                    // A large message leaves in pieces; small ones join the pipelined replies, flushed by the loop.
                    beforeFlush();
                    await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (!_atLineStart)
            {
                Write("\r\n"u8);
            }

            _output.Write(".\r\n"u8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes one chunk; true when TOP has sent all it should.</summary>
    private bool WriteChunk(ReadOnlySpan<byte> chunk)
    {
        if (_bodyLineLimit < 0)
        {
            WriteWhole(chunk);
            return false;
        }

        while (!chunk.IsEmpty)
        {
            if (_atLineStart && chunk[0] == '.')
            {
                _output.Write("."u8);
            }

            int lf = chunk.IndexOf((byte)'\n');
            if (lf < 0)
            {
                Write(chunk);
                _lineBytes += chunk.Length;
                _previousCr = chunk[^1] == '\r';
                _atLineStart = false;
                return false;
            }

            ReadOnlySpan<byte> text = chunk[..lf];
            bool crBefore = lf > 0 ? text[^1] == '\r' : _previousCr;
            Write(text);
            Write(crBefore ? "\n"u8 : "\r\n"u8);
            _lineBytes += lf;
            bool empty = _lineBytes == 0 || (_lineBytes == 1 && crBefore);
            _lineBytes = 0;
            _previousCr = false;
            _atLineStart = true;
            chunk = chunk[(lf + 1)..];
            if (_bodyLineLimit >= 0 && EndOfTop(empty))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// RETR's path: runs of ordinary CRLF lines are copied in one write; only a line starting with "." (stuffed)
    /// or ending in a bare LF (made CRLF) breaks a run.
    /// </summary>
    private void WriteWhole(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_atLineStart && chunk[0] == '.')
        {
            _output.Write("."u8);
        }

        int runStart = 0;
        int next = 0;
        while (true)
        {
            int lf = chunk[next..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                break;
            }

            lf += next;
            bool crBefore = lf > 0 ? chunk[lf - 1] == '\r' : _previousCr;
            if (!crBefore)
            {
                Write(chunk[runStart..lf]);
                Write("\r\n"u8);
                runStart = lf + 1;
            }

            next = lf + 1;
            if (next < chunk.Length && chunk[next] == '.')
            {
                Write(chunk[runStart..next]);
                _output.Write("."u8);
                runStart = next;
            }
        }

        Write(chunk[runStart..]);
        _atLineStart = chunk[^1] == '\n';
        _previousCr = chunk[^1] == '\r';
    }

    private bool EndOfTop(bool emptyLine)
    {
        if (!_inBody)
        {
            // RFC 1939 §7: the header, the blank line separating it from the body, then n body lines.
            _inBody = emptyLine;
            return _inBody && _bodyLineLimit == 0;
        }

        return ++_bodyLines >= _bodyLineLimit;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Sent += bytes.Length;
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mailroom.Net.Trace;

/// <summary>The server side: bytes as the protocol writes them, cut into lines, literals and bodies summarised.</summary>
public sealed partial class SessionTrace
{
    private readonly byte[] _serverLine = new byte[MaxShownLine];
    private int _serverLineLength;
    private bool _serverLineCut;
    private long _literalRemaining;
    private long _literalSize;
    private string? _summary;
    private long _summaryBytes;

    /// <summary>
    /// From here until <see cref="EndServerSummary"/> what the server writes is counted, not written (a POP3 RETR body).
    /// </summary>
    public void BeginServerSummary(string what)
    {
        lock (_gate)
        {
            FlushPartialServerLine();
            _summary = what;
            _summaryBytes = 0;
        }
    }

    /// <summary>Writes the summary begun by <see cref="BeginServerSummary"/>: <c>S: &lt;message body: N bytes&gt;</c>.</summary>
    public void EndServerSummary()
    {
        lock (_gate)
        {
            if (_summary is { } what)
            {
                _summary = null;
                WriteLocked("S: ", string.Create(CultureInfo.InvariantCulture, $"<{what}: {_summaryBytes} bytes>"));
            }
        }
    }

    /// <summary>Bytes the protocol wrote to the client (after TLS is off), in order.</summary>
    internal void Server(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            while (!bytes.IsEmpty)
            {
                if (_summary is not null)
                {
                    _summaryBytes += bytes.Length;
                    return;
                }

                if (_literalRemaining > 0)
                {
                    int take = (int)Math.Min(_literalRemaining, bytes.Length);
                    _literalRemaining -= take;
                    bytes = bytes[take..];
                    if (_literalRemaining == 0)
                    {
                        WriteLocked("S: ", string.Create(CultureInfo.InvariantCulture, $"<literal: {_literalSize} bytes>"));
                    }

                    continue;
                }

                int lf = bytes.IndexOf((byte)'\n');
                ReadOnlySpan<byte> part = lf < 0 ? bytes : bytes[..lf];
                KeepServerBytes(part);
                if (lf < 0)
                {
                    return;
                }

                bytes = bytes[(lf + 1)..];
                EndServerLine();
            }
        }
    }

    private void KeepServerBytes(ReadOnlySpan<byte> part)
    {
        int room = _serverLine.Length - _serverLineLength;
        if (part.Length > room)
        {
            _serverLineCut = true;
            part = part[..room];
        }

        part.CopyTo(_serverLine.AsSpan(_serverLineLength));
        _serverLineLength += part.Length;
    }

    private void EndServerLine()
    {
        ReadOnlySpan<byte> line = _serverLine.AsSpan(0, _serverLineLength);
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        var text = new StringBuilder(line.Length + 16);
        Append(text, line);
        if (_serverLineCut)
        {
            text.Append("...<line cut>");
        }

        WriteLocked("S: ", text.ToString());
        if (SummariseServerLiterals && !_serverLineCut && TryGetLiteralSize(line, out long size) && size > 0)
        {
            _literalRemaining = size;
            _literalSize = size;
        }

        _serverLineLength = 0;
        _serverLineCut = false;
    }

    private void FlushPartialServerLine()
    {
        if (_serverLineLength > 0 && !_disposed)
        {
            EndServerLine();
        }
    }

    /// <summary>RFC 9051 §4.3 and RFC 5804 §1.3: a literal is announced by <c>{N}</c> (or <c>{N+}</c>) ending the line.</summary>
    private static bool TryGetLiteralSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        if (line.IsEmpty || line[^1] != (byte)'}')
        {
            return false;
        }

        int open = line.LastIndexOf((byte)'{');
        if (open < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> digits = line[(open + 1)..^1];
        if (!digits.IsEmpty && digits[^1] == (byte)'+')
        {
            digits = digits[..^1];
        }

        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && Utf8Parser.TryParse(digits, out size, out int consumed) && consumed == digits.Length;
    }
}

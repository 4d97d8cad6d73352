using System.Text;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// Checks, as the replies stream in, that a server never breaks its protocol's framing whatever the client sent: every
/// line ends with CRLF and holds no other CR, LF or NUL (so no client text can forge a reply line), SMTP lines start
/// with a three-digit code and a space or hyphen (RFC 5321 §4.2), and IMAP literals (<c>{n}</c> at a line's end,
/// RFC 9051 §4.3) carry exactly their announced bytes. Holds a few bytes of state, never the replies.
/// </summary>
internal sealed class ReplyFraming(ReplyFraming.Protocol protocol)
{
    private const int MaxTail = 24;

    private readonly StringBuilder _lineStart = new();
    private readonly byte[] _tail = new byte[MaxTail];
    private int _tailLength;
    private bool _afterCr;
    private long _literalLeft;
    private long _offset;

    public enum Protocol
    {
        Smtp,
        Imap,
    }

    /// <summary>The first framing error, or null.</summary>
    public string? Error { get; private set; }

    public void Feed(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length && Error is null; i++, _offset++)
        {
            if (_literalLeft > 0)
            {
                long skip = Math.Min(_literalLeft, data.Length - i);
                _literalLeft -= skip;
                i += (int)skip - 1;
                _offset += skip - 1;
                continue;
            }

            Step(data[i]);
        }
    }

    /// <summary>The replies ended: a line cut short is an error unless the server never started it.</summary>
    public void Complete()
    {
        if (Error is null && (_afterCr || _tailLength > 0 || _lineStart.Length > 0 || _literalLeft > 0))
        {
            // A session may be cut off mid-reply only by a transport failure, which the sessions here never have.
            Error = $"the replies end inside a line or a literal at byte {_offset}";
        }
    }

    private void Step(byte b)
    {
        if (_afterCr)
        {
            if (b != (byte)'\n')
            {
                Error = $"bare CR in a reply line at byte {_offset - 1}";
                return;
            }

            EndLine();
            return;
        }

        switch (b)
        {
            case (byte)'\r':
                _afterCr = true;
                return;
            case (byte)'\n':
                Error = $"bare LF in a reply line at byte {_offset}";
                return;
            case 0:
                Error = $"NUL in a reply line at byte {_offset}";
                return;
        }

        if (_lineStart.Length < 4)
        {
            _lineStart.Append((char)b);
            if (protocol == Protocol.Smtp && _lineStart.Length == 4 && !IsSmtpLineStart(_lineStart.ToString()))
            {
                Error = $"SMTP reply line starting \"{_lineStart}\" at byte {_offset - 3}";
            }
        }

        if (_tailLength == MaxTail)
        {
            Array.Copy(_tail, 1, _tail, 0, MaxTail - 1);
            _tailLength--;
        }

        _tail[_tailLength++] = b;
    }

    private void EndLine()
    {
        _afterCr = false;
        if (protocol == Protocol.Smtp && _lineStart.Length < 4)
        {
            Error = $"SMTP reply line \"{_lineStart}\" shorter than a code at byte {_offset}";
        }

        if (protocol == Protocol.Imap)
        {
            _literalLeft = LiteralAtEnd(_tail.AsSpan(0, _tailLength));
        }

        _lineStart.Clear();
        _tailLength = 0;
    }

    private static bool IsSmtpLineStart(string start) =>
        char.IsAsciiDigit(start[0]) && char.IsAsciiDigit(start[1]) && char.IsAsciiDigit(start[2]) && start[3] is ' ' or '-';

    private static long LiteralAtEnd(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[^1] != (byte)'}')
        {
            return 0;
        }

        int open = line.LastIndexOf((byte)'{');
        return open >= 0 && long.TryParse(line[(open + 1)..^1], out long size) && size >= 0 ? size : 0;
    }
}

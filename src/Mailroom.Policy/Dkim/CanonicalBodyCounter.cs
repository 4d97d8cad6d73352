using Mailroom.Core;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// Counts a body's octets after DKIM canonicalization (RFC 6376 §3.4.3 simple, §3.4.4 relaxed) without keeping it:
/// trailing empty lines are held back as a count and dropped at the end, runs of whitespace become one space and
/// trailing whitespace goes (relaxed). Lines are taken to end in LF, CR being dropped, as the CRLF form is written.
/// </summary>
internal sealed class CanonicalBodyCounter : WriteOnlyStream
{
    private readonly bool _relaxed;
    private long _total;
    private long _emptyLines;
    private long _line;
    private bool _pendingSpace;

    public CanonicalBodyCounter(bool relaxed)
    {
        _relaxed = relaxed;
    }

    /// <summary>The canonical length of everything written.</summary>
    public long CanonicalLength
    {
        get
        {
            long total = _total;
            if (_line > 0 || (!_relaxed && _pendingSpace))
            {
                total += (_emptyLines * 2) + _line + (_pendingSpace && !_relaxed ? 1 : 0) + 2;
            }

            // §3.4.3: an empty body is one CRLF under simple canonicalization.
            return total == 0 && !_relaxed ? 2 : total;
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (byte b in buffer)
        {
            switch (b)
            {
                case (byte)'\r':
                    break;
                case (byte)'\n':
                    if (_line == 0)
                    {
                        _emptyLines++;
                    }
                    else
                    {
                        _total += (_emptyLines * 2) + _line + 2;
                        _emptyLines = 0;
                    }

                    _line = 0;
                    _pendingSpace = false;
                    break;
                case (byte)' ' or (byte)'\t' when _relaxed:
                    _pendingSpace = true;
                    break;
                default:
                    if (_pendingSpace)
                    {
                        _line++;
                        _pendingSpace = false;
                    }

                    _line++;
                    break;
            }
        }
    }
}

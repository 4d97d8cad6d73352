namespace Mailroom.Smtp.Cleanup;

/// <summary>
/// Measures the header sections of a message's MIME body parts as the content streams in, so that
/// <see cref="SmtpOptions.MaxHeaderFieldSize"/> and <see cref="SmtpOptions.MaxHeaderFields"/> bound them as they bound
/// the message's own header: every check that parses the message (DKIM, ARC, DMARC, milters, Sieve) parses its body
/// parts too, and MIME parsers take time growing with the square of a long folded field.
/// <para>
/// It follows the parts as MimeKit does: the boundaries of <c>multipart/*</c> (RFC 2046 §5.1.1: <c>--boundary</c>, and
/// <c>--boundary--</c> closing that multipart and any open inside it), and the header of a message carried inside
/// (<c>message/rfc822</c>, <c>message/global</c>, <c>text/rfc822-headers</c>). Linear in the content; it holds the
/// Content-Type field being read (at most <see cref="SmtpOptions.MaxHeaderFieldSize"/> bytes, as a larger one is
/// refused anyway), the start of the current line up to the longest open boundary, and the open boundaries (at most
/// <see cref="MaxDepth"/>, MimeKit's own nesting limit, past which it parses no deeper headers either).
/// </para>
/// </summary>
internal sealed class BodyPartHeaderMeter
{
    /// <summary>MimeKit's <c>ParserOptions.MaxMimeDepth</c> default: deeper multiparts are content to it.</summary>
    public const int MaxDepth = 1024;

    private readonly int _maxCapture;
    private readonly List<string> _boundaries = [];
    private readonly Dictionary<string, int> _innermost = new(StringComparer.Ordinal);
    private readonly List<(string Boundary, int Previous)> _shadowed = [];
    private byte[] _contentType;
    private byte[] _line = new byte[80];

    private bool _inHeader = true;
    private bool _topLevel = true;
    private bool _atLineStart = true;
    private int _lineLength;
    private bool _lineTooLong;
    private LineKind _kind;
    private int _contentTypeLength;
    private bool _capturing;
    private long _fieldSize;
    private int _sectionFields;

    /// <param name="maxFieldSize">The field size past which the message is refused: the Content-Type capture holds one byte more.</param>
    public BodyPartHeaderMeter(int maxFieldSize)
    {
        _maxCapture = maxFieldSize + 1;
        _contentType = new byte[Math.Min(_maxCapture, 4096)];
    }

    private enum LineKind
    {
        Undecided,
        FieldName,
        Field,
        Continuation,
        Other,
    }

    /// <summary>The largest header field of any body part (with its continuation lines and line ends).</summary>
    public long LargestField { get; private set; }

    /// <summary>The most header fields one body part's header section has.</summary>
    public int MostFields { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            Step(b);
        }
    }

    /// <summary>The content ended: a field still open is measured.</summary>
    public void Complete()
    {
        if (_inHeader && !_topLevel)
        {
            EndField();
            MostFields = Math.Max(MostFields, _sectionFields);
        }
    }

    private void Step(byte b)
    {
        if (_atLineStart)
        {
            _atLineStart = false;
            _lineLength = 0;
            _lineTooLong = false;
            _kind = LineKind.Undecided;
            if (_inHeader)
            {
                if (b is (byte)' ' or (byte)'\t')
                {
                    _kind = LineKind.Continuation;
                }
                else if (b is (byte)'\r' or (byte)'\n')
                {
                    _kind = LineKind.Other;
                    EndField();
                    EndHeader();
                }
                else
                {
                    EndField();
                    _kind = LineKind.FieldName;
                }
            }
        }

        if (_inHeader)
        {
            HeaderByte(b);
        }
        else
        {
            BodyByte(b);
        }

        if (b == (byte)'\n')
        {
            if (!_inHeader && _boundaries.Count > 0)
            {
                BodyLineEnded();
            }

            _atLineStart = true;
        }
    }

    private void HeaderByte(byte b)
    {
        switch (_kind)
        {
            case LineKind.FieldName:
                if (b == (byte)':' && _lineLength > 0)
                {
                    _kind = LineKind.Field;
                    _sectionFields++;
                    _capturing = IsContentType(_line.AsSpan(0, _lineLength));
                    _contentTypeLength = _capturing ? 0 : _contentTypeLength;
                    _fieldSize = _lineLength + 1;
                    return;
                }

                // A field name, blanks before its colon allowed (RFC 5322 §4.5.3's obsolete syntax, which MimeKit reads).
                if (b is (> 32 and < 127) or (byte)' ' or (byte)'\t' && _lineLength < 76)
                {
                    _line[_lineLength++] = b;
                    return;
                }

                // Not a header field: the content starts on this line (as the message's own header ends there too).
                _kind = LineKind.Other;
                Span<byte> started = stackalloc byte[77];
                _line.AsSpan(0, _lineLength).CopyTo(started);
                started = started[.._lineLength];
                _lineLength = 0;
                EndHeader();
                if (!_inHeader)
                {
                    foreach (byte early in started)
                    {
                        BodyByte(early);
                    }

                    BodyByte(b);
                }

                return;
            case LineKind.Field or LineKind.Continuation:
                _fieldSize++;
                if (_capturing && b is not ((byte)'\r' or (byte)'\n'))
                {
                    Capture(b);
                }

                return;
            default:
                return;
        }
    }

    private void Capture(byte b)
    {
        if (_contentTypeLength >= _maxCapture)
        {
            return;
        }

        if (_contentTypeLength == _contentType.Length)
        {
            byte[] larger = new byte[Math.Min(_maxCapture, _contentType.Length * 2)];
            _contentType.AsSpan().CopyTo(larger);
            _contentType = larger;
        }

        _contentType[_contentTypeLength++] = b;
    }

    private void EndField()
    {
        if (_fieldSize > 0)
        {
            if (!_topLevel)
            {
                LargestField = Math.Max(LargestField, _fieldSize);
            }

            _fieldSize = 0;
        }

        _capturing = false;
    }

    /// <summary>A header section ended: what follows depends on its Content-Type.</summary>
    private void EndHeader()
    {
        if (!_topLevel)
        {
            MostFields = Math.Max(MostFields, _sectionFields);
        }

        _sectionFields = 0;
        _inHeader = false;
        _topLevel = false;
        ContentType type = ContentTypeScanner.Scan(_contentType.AsSpan(0, _contentTypeLength));
        _contentTypeLength = 0;
        if (type.CarriesMessage)
        {
            // The body is itself a message, whose header MimeKit parses: it is measured as a part's header.
            _inHeader = true;
        }
        else if (type.Boundary is { Length: > 0 } boundary && _boundaries.Count < MaxDepth)
        {
            Push(boundary);
        }
    }

    private void BodyByte(byte b)
    {
        if (_boundaries.Count == 0 || _lineTooLong)
        {
            return;
        }

        if (_lineLength < _line.Length)
        {
            _line[_lineLength++] = b;
            return;
        }

        // Past the longest open boundary with its "--" on both sides: only trailing white space may follow.
        if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            _lineTooLong = true;
        }
    }

    private void BodyLineEnded()
    {
        if (_lineTooLong || _lineLength < 3 || _line[0] != (byte)'-' || _line[1] != (byte)'-')
        {
            return;
        }

        ReadOnlySpan<byte> candidate = _line.AsSpan(2, _lineLength - 2).TrimEnd(" \t\r\n"u8);
        string text = System.Text.Encoding.Latin1.GetString(candidate);
        if (_innermost.TryGetValue(text, out int level))
        {
            // A part of that multipart begins: any multipart opened inside the previous part is over.
            PopTo(level + 1);
            _inHeader = true;
            _contentTypeLength = 0;
            _sectionFields = 0;
        }
        else if (text.EndsWith("--", StringComparison.Ordinal) && _innermost.TryGetValue(text[..^2], out level))
        {
            PopTo(level);
        }
    }

    private void Push(string boundary)
    {
        _shadowed.Add((boundary, _innermost.TryGetValue(boundary, out int previous) ? previous : -1));
        _innermost[boundary] = _boundaries.Count;
        _boundaries.Add(boundary);
        int needed = boundary.Length + 8;
        if (_line.Length < needed)
        {
            _line = new byte[needed];
        }
    }

    private void PopTo(int depth)
    {
        while (_boundaries.Count > depth)
        {
            (string boundary, int previous) = _shadowed[^1];
            _shadowed.RemoveAt(_shadowed.Count - 1);
            _boundaries.RemoveAt(_boundaries.Count - 1);
            if (previous < 0)
            {
                _innermost.Remove(boundary);
            }
            else
            {
                _innermost[boundary] = previous;
            }
        }
    }

    private static bool IsContentType(ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(name.TrimEnd(" \t"u8), "Content-Type"u8);
}

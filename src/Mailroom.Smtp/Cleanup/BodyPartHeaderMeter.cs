namespace Mailroom.Smtp.Cleanup;

/// <summary>
/// Measures the header sections of a message's MIME body parts as the content streams in, so that
/// <see cref="SmtpOptions.MaxHeaderFieldSize"/> and <see cref="SmtpOptions.MaxHeaderFields"/> bound them as they bound
/// the message's own header: every check that parses the message (DKIM, ARC, DMARC, milters, Sieve) parses its body
/// parts too, and MIME parsers take time growing with the square of a long folded field.
/// <para>
/// It reads the parts as MimeKit's parser does, since that is the parser whose cost it bounds: the boundaries of
/// <c>multipart/*</c> (RFC 2046 §5.1.1: <c>--boundary</c>, and <c>--boundary--</c> closing that multipart and any open
/// inside it; the innermost boundary first), checked on header lines too; the header of a message carried inside
/// (<c>message/rfc822</c> and its kin, <c>text/rfc822-headers</c>, and a part without Content-Type in a
/// <c>multipart/digest</c>, RFC 2046 §5.1.5); the first Content-Type field of a section; and a header section that
/// ends only at an empty line, a boundary or the end: a line that is not a field (no colon, a blank inside the name, a
/// control or 8-bit byte in it) is skipped before the section's first field and is a field of its own after it.
/// </para>
/// <para>
/// Linear in the content; it holds the Content-Type field being read (at most <see cref="SmtpOptions.MaxHeaderFieldSize"/>
/// bytes, as a larger one is refused anyway), the start of the current line up to the longest open boundary, and the
/// open boundaries (at most <see cref="MaxDepth"/>, MimeKit's own nesting limit, past which it parses no deeper
/// headers either).
/// </para>
/// </summary>
internal sealed class BodyPartHeaderMeter
{
    /// <summary>MimeKit's <c>ParserOptions.MaxMimeDepth</c> default: deeper multiparts are content to it.</summary>
    public const int MaxDepth = 1024;

    private static ReadOnlySpan<byte> ContentTypeName => "content-type"u8;

    private readonly int _maxCapture;
    private readonly List<(string Boundary, bool Digest)> _open = [];
    private readonly Dictionary<string, int> _innermost = new(StringComparer.Ordinal);
    private readonly List<int> _shadowed = [];
    private byte[] _contentType;
    private byte[] _line = new byte[80];

    private bool _inHeader = true;
    private bool _topLevel = true;
    private bool _atLineStart = true;
    private int _lineLength;
    private bool _lineTooLong;
    private long _lineBytes;
    private LineKind _kind;
    private bool _nameBlank;
    private int _nameMatch;
    private int _contentTypeLength;
    private bool _typeSeen;
    private bool _capturing;
    private bool _fieldOpen;
    private long _fieldSize;
    private int _sectionFields;
    private bool _digestPart;

    /// <param name="maxFieldSize">The field size past which the message is refused: the Content-Type capture holds one byte more.</param>
    public BodyPartHeaderMeter(int maxFieldSize)
    {
        _maxCapture = maxFieldSize + 1;
        _contentType = new byte[Math.Min(_maxCapture, 4096)];
    }

    /// <summary>What the current line of a header section is, as far as it has been read.</summary>
    private enum LineKind
    {
        /// <summary>A line of content, not of a header.</summary>
        Body,

        /// <summary>Started with CR: the empty line that ends the header if LF follows.</summary>
        CarriageReturn,

        /// <summary>The empty line (CRLF or a bare LF) that ends the header.</summary>
        Empty,

        /// <summary>Started with a blank after a field: that field goes on.</summary>
        Continuation,

        /// <summary>Reading a field name: no colon yet.</summary>
        Name,

        /// <summary>A field: name, colon, value.</summary>
        Field,

        /// <summary>Not a field (MimeKit's "invalid header").</summary>
        Invalid,
    }

    /// <summary>The largest header field of any body part (with its continuation lines and line ends).</summary>
    public long LargestField { get; private set; }

    /// <summary>The most header fields one body part's header section has.</summary>
    public int MostFields { get; private set; }

    /// <summary>
    /// The largest field of the message's own header as MimeKit reads it, past lines that are no field (which end the
    /// header for the cleanup step's count, not for MimeKit).
    /// </summary>
    public long OwnLargestField { get; private set; }

    /// <summary>The fields of the message's own header as MimeKit reads it.</summary>
    public int OwnFields { get; private set; }

    /// <summary>
    /// The memory the meter holds now: its two buffers and the open boundaries (two bytes a character). Bounded by the
    /// field size limit and <see cref="MaxDepth"/>, never by the length of a line, a field or the content.
    /// </summary>
    internal long HeldBytes
    {
        get
        {
            long held = _contentType.Length + _line.Length;
            foreach ((string boundary, _) in _open)
            {
                held += 2L * boundary.Length;
            }

            return held;
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            Step(b);
        }
    }

    /// <summary>
    /// The content ended: a field still open is measured, and a last header line without its line end is a field of
    /// its own or goes on the open one (MimeKit parses what is left of a header at the end of its input as a field).
    /// </summary>
    public void Complete()
    {
        if (!_inHeader)
        {
            return;
        }

        if (!_atLineStart && _kind == LineKind.Continuation)
        {
            _fieldSize += _lineBytes;
        }
        else if (!_atLineStart)
        {
            EndField();
            _sectionFields++;
            _fieldSize = _lineBytes;
            _fieldOpen = true;
        }

        EndSection();
    }

    private void Step(byte b)
    {
        if (_atLineStart)
        {
            StartLine(b);
        }

        _lineBytes++;
        if (_open.Count > 0)
        {
            LineByte(b);
        }

        if (_inHeader)
        {
            HeaderByte(b);
        }

        if (b == (byte)'\n')
        {
            if (_inHeader)
            {
                HeaderLineEnded();
            }
            else if (_open.Count > 0)
            {
                BoundaryLine();
            }

            _atLineStart = true;
        }
    }

    private void StartLine(byte b)
    {
        _atLineStart = false;
        _lineLength = 0;
        _lineTooLong = false;
        _lineBytes = 0;
        _nameBlank = false;
        _nameMatch = 0;
        _kind = !_inHeader ? LineKind.Body
            : b == (byte)'\n' ? LineKind.Empty
            : b == (byte)'\r' ? LineKind.CarriageReturn
            : b is (byte)' ' or (byte)'\t' && _fieldOpen ? LineKind.Continuation
            : LineKind.Name;

        // The Content-Type value goes on through its continuation lines.
        _capturing &= _kind == LineKind.Continuation;
    }

    private void HeaderByte(byte b)
    {
        switch (_kind)
        {
            case LineKind.CarriageReturn when _lineBytes == 2:
                // CR then something else is not the empty line: a CR in a field name makes the line no field.
                _kind = b == (byte)'\n' ? LineKind.Empty : LineKind.Invalid;
                return;
            case LineKind.Name:
                Name(b);
                return;
            case LineKind.Field or LineKind.Continuation when _capturing && b is not ((byte)'\r' or (byte)'\n'):
                Capture(b);
                return;
            default:
                return;
        }
    }

    /// <summary>
    /// MimeKit's field name check: blanks may come between the name and the colon but not inside the name; a control
    /// or 8-bit byte, or a colon first on the line, makes the line no field.
    /// </summary>
    private void Name(byte b)
    {
        if (b == (byte)':')
        {
            _kind = _lineBytes == 1 ? LineKind.Invalid : LineKind.Field;
            if (_kind == LineKind.Field && _nameMatch == ContentTypeName.Length && !_typeSeen)
            {
                // MimeKit reads the first Content-Type of a section.
                _typeSeen = true;
                _capturing = true;
                _contentTypeLength = 0;
            }

            return;
        }

        if (b is (byte)' ' or (byte)'\t')
        {
            _nameBlank = true;
        }
        else if (_nameBlank || b < 32 || b >= 127)
        {
            _kind = LineKind.Invalid;
        }
        else
        {
            _nameMatch = _nameMatch >= 0 && _nameMatch < ContentTypeName.Length && (b | 0x20) == ContentTypeName[_nameMatch] ? _nameMatch + 1 : -1;
        }
    }

    /// <summary>A line of a header section ended (its LF, or the end of the content).</summary>
    private void HeaderLineEnded()
    {
        switch (_kind)
        {
            case LineKind.Empty:
                EndHeader();
                return;
            case LineKind.Continuation:
                _fieldSize += _lineBytes;
                return;
        }

        if (MatchBoundary(out int level, out bool final))
        {
            // MimeKit checks every header line for a boundary: the section ends there, its content empty.
            EndSection();
            _inHeader = false;
            Boundary(level, final);
            return;
        }

        // A line that is not a field (Name still means no colon came) is skipped before the first field, and is a
        // field of its own after it.
        if (_kind == LineKind.Field || _sectionFields > 0)
        {
            EndField();
            _sectionFields++;
            _fieldSize = _lineBytes;
            _fieldOpen = true;
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
        if (_fieldOpen && _topLevel)
        {
            OwnLargestField = Math.Max(OwnLargestField, _fieldSize);
        }
        else if (_fieldOpen)
        {
            LargestField = Math.Max(LargestField, _fieldSize);
        }

        _fieldSize = 0;
        _fieldOpen = false;
    }

    /// <summary>The header section is over: its last field and its count are measured.</summary>
    private void EndSection()
    {
        EndField();
        if (_topLevel)
        {
            OwnFields = _sectionFields;
        }
        else
        {
            MostFields = Math.Max(MostFields, _sectionFields);
        }

        _sectionFields = 0;
        _topLevel = false;
        _typeSeen = false;
        _contentTypeLength = 0;
    }

    /// <summary>A header section ended at its empty line: what follows depends on its Content-Type.</summary>
    private void EndHeader()
    {
        bool typed = _typeSeen;
        bool digestPart = _digestPart;
        ContentType type = ContentTypeScanner.Scan(_contentType.AsSpan(0, _contentTypeLength));
        EndSection();
        _inHeader = false;
        if (type.CarriesMessage || (!typed && digestPart))
        {
            // The body is itself a message, whose header MimeKit parses: it is measured as a part's header. In a
            // multipart/digest a part without Content-Type is message/rfc822 (RFC 2046 §5.1.5).
            StartSection(digestPart: false);
        }
        else if (type.Boundary is { Length: > 0 } boundary && _open.Count < MaxDepth)
        {
            Push(boundary, type.Digest);
        }
    }

    /// <summary>A header section begins on the next line.</summary>
    private void StartSection(bool digestPart)
    {
        _inHeader = true;
        _digestPart = digestPart;
        _sectionFields = 0;
        _typeSeen = false;
        _contentTypeLength = 0;
        _fieldOpen = false;
    }

    /// <summary>Keeps the start of the line, as long as the longest open boundary with its dashes; past that only white space may follow.</summary>
    private void LineByte(byte b)
    {
        if (_lineTooLong)
        {
            return;
        }

        if (_lineLength < _line.Length)
        {
            _line[_lineLength++] = b;
        }
        else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            _lineTooLong = true;
        }
    }

    /// <summary>A body line ended: a boundary begins a part or closes a multipart.</summary>
    private void BoundaryLine()
    {
        if (MatchBoundary(out int level, out bool final))
        {
            Boundary(level, final);
        }
    }

    /// <summary>
    /// Whether the line just ended is <c>--boundary</c> or <c>--boundary--</c> of an open multipart, trailing white space
    /// ignored, and of which: MimeKit tries the innermost boundary first, so where the line is both a part boundary of one
    /// and the end of another, the deeper one wins.
    /// </summary>
    private bool MatchBoundary(out int level, out bool final)
    {
        level = -1;
        final = false;
        if (_open.Count == 0 || _lineTooLong || _lineLength < 2 || _line[0] != (byte)'-' || _line[1] != (byte)'-')
        {
            return false;
        }

        ReadOnlySpan<byte> candidate = _line.AsSpan(2, _lineLength - 2).TrimEnd(" \t\r\n"u8);
        string text = System.Text.Encoding.Latin1.GetString(candidate);
        if (_innermost.TryGetValue(text, out int part))
        {
            level = part;
        }

        if (text.EndsWith("--", StringComparison.Ordinal) && _innermost.TryGetValue(text[..^2], out int end) && end > level)
        {
            level = end;
            final = true;
        }

        return level >= 0;
    }

    private void Boundary(int level, bool final)
    {
        if (final)
        {
            // That multipart is over, with any opened inside it; its epilogue is content.
            PopTo(level);
            return;
        }

        // A part of that multipart begins: any multipart opened inside the previous part is over.
        PopTo(level + 1);
        StartSection(_open[level].Digest);
    }

    private void Push(string boundary, bool digest)
    {
        _shadowed.Add(_innermost.TryGetValue(boundary, out int previous) ? previous : -1);
        _innermost[boundary] = _open.Count;
        _open.Add((boundary, digest));
        int needed = boundary.Length + 8;
        if (_line.Length < needed)
        {
            _line = new byte[needed];
        }
    }

    private void PopTo(int depth)
    {
        while (_open.Count > depth)
        {
            string boundary = _open[^1].Boundary;
            int previous = _shadowed[^1];
            _shadowed.RemoveAt(_shadowed.Count - 1);
            _open.RemoveAt(_open.Count - 1);
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
}

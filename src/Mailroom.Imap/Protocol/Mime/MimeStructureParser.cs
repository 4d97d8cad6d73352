using System.Buffers;
using System.Text;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// Finds the structure of a message file in one pass: each part's header fields, media type and offsets (RFC 5322,
/// RFC 2045, RFC 2046). Every byte is read once and every line looked at a bounded number of times (a boundary is
/// compared with the at most <see cref="MessageLimits.MaxMimeDepth"/> open ones), so the cost is linear in the file
/// and the memory is the headers plus one buffer, whatever an outside sender puts in a message. (MimeKit's parser,
/// which the IMAP layer used before, grows its header buffer 64 bytes at a time: one header folded over many lines
/// costs time quadratic in its size.)
/// It is lenient, as a mail store must be with what it was given: a file that does not start with a header field has
/// no header; lines in a header that are not fields are skipped; a multipart without a boundary holds no parts; a
/// missing close delimiter ends the multipart at its parent's boundary or the end of the file. Past
/// <see cref="MessageLimits.MaxMimeDepth"/> levels or <see cref="MessageLimits.MaxMimeParts"/> parts, the rest is
/// content of the part reached (RFC 2046 §5.1 lets a reader treat a body part it does not parse as opaque data).
/// </summary>
internal sealed class MimeStructureParser : IDisposable
{
    private static readonly SearchValues<byte> TokenSpecials = SearchValues.Create("()<>@,;:\\\"/[]?="u8);

    private readonly MessageLineReader _reader;
    private readonly MessageLimits _limits;
    private readonly List<Boundary> _boundaries = [];
    private readonly ArrayBufferWriter<byte> _value = new(256);
    private int _parts;
    private bool _atBoundary;
    private int _boundaryIndex;
    private bool _boundaryIsFinal;

    private MimeStructureParser(Stream stream, MessageLimits limits)
    {
        _reader = new MessageLineReader(stream);
        _limits = limits;
    }

    private enum HeaderEnd
    {
        /// <summary>The blank line after the fields (consumed).</summary>
        Blank,

        /// <summary>The first line is not a header field: the part is all content.</summary>
        Headerless,

        /// <summary>A boundary line or the end of the file, after some header lines: the part has no content.</summary>
        Cut,

        /// <summary>A boundary line or the end of the file before any line: there is no part at all.</summary>
        Nothing,
    }

    /// <summary>The structure of the message in <paramref name="stream"/>, read from its start.</summary>
    public static BodyPart Parse(Stream stream, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }

        using var parser = new MimeStructureParser(stream, limits);
        return parser.ParseEntity(depth: 0, inDigest: false, top: true)!;
    }

    /// <summary>Only the top-level header fields of the message in <paramref name="stream"/> (SORT and THREAD keys): the body is not read.</summary>
    public static HeaderBlock ParseHeader(Stream stream, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }

        using var parser = new MimeStructureParser(stream, limits);
        return parser.ParseHeader(top: true, out _);
    }

    public void Dispose() => _reader.Dispose();

    // Null only for a part that is nothing at all (a boundary right after a boundary), which MimeKit and Dovecot skip.
    private BodyPart? ParseEntity(int depth, bool inDigest, bool top)
    {
        long begin = _reader.Position;
        HeaderBlock header = ParseHeader(top, out HeaderEnd end);
        if (end == HeaderEnd.Nothing)
        {
            return null;
        }

        long contentLineFeeds = _reader.LineFeeds;
        _parts++;
        (string type, string subtype) = MediaTypeOf(header, inDigest);
        var part = new BodyPart(begin, _reader.Position, header, type, subtype);
        bool expand = depth < _limits.MaxMimeDepth && _parts < _limits.MaxMimeParts;
        if (end == HeaderEnd.Cut)
        {
            // The content is empty; a multipart still has its (empty) list of parts.
            if (expand && IsMultipart(type))
            {
                part.SetParts([]);
            }
        }
        else if (expand && IsMultipart(type))
        {
            ParseMultipart(part, header, depth);
        }
        else if (expand && part.IsMessage)
        {
            ParseEncapsulated(part, depth);
        }
        else
        {
            SkipContent();
        }

        Finish(part, contentLineFeeds);
        return part;
    }

    private HeaderBlock ParseHeader(bool top, out HeaderEnd end)
    {
        List<HeaderField> fields = [];
        string? name = null;
        bool first = true;
        while (true)
        {
            if (!_reader.Peek())
            {
                _atBoundary = false;
                end = first && !top ? HeaderEnd.Nothing : HeaderEnd.Cut;
                break;
            }

            if (AtBoundary())
            {
                end = first ? HeaderEnd.Nothing : HeaderEnd.Cut;
                break;
            }

            ReadOnlySpan<byte> line = _reader.Line;
            if (line.IsEmpty && _reader.IsWhole)
            {
                _reader.Consume();
                end = HeaderEnd.Blank;
                break;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (name is not null)
                {
                    // A folded line (RFC 5322 §2.2.3): the line end stays in the raw value.
                    _value.Write("\r\n"u8);
                    _reader.Consume(_value);
                }
                else if (first)
                {
                    end = HeaderEnd.Headerless;
                    break;
                }
                else
                {
                    _reader.Consume();
                }
            }
            else if (TryReadFieldName(line, out string? fieldName, out int valueStart))
            {
                AddField(fields, name);
                name = fieldName;
                _reader.Consume(_value, valueStart);
            }
            else if (first)
            {
                end = HeaderEnd.Headerless;
                break;
            }
            else
            {
                // Not a field: dropped, as MimeKit and Dovecot do.
                _reader.Consume();
            }

            first = false;
        }

        AddField(fields, name);
        return fields.Count == 0 ? HeaderBlock.Empty : new HeaderBlock(fields);
    }

    private void AddField(List<HeaderField> fields, string? name)
    {
        if (name is not null)
        {
            fields.Add(new HeaderField(name, _value.WrittenSpan.ToArray()));
        }

        _value.ResetWrittenCount();
    }

    // RFC 2046 §5.1.1: the parts are between "--boundary" lines, the last one "--boundary--"; before the first is the
    // preamble, after the last the epilogue. A multipart/digest's parts are message/rfc822 by default (§5.1.5).
    private void ParseMultipart(BodyPart part, HeaderBlock header, int depth)
    {
        List<BodyPart> parts = [];
        part.SetParts(parts);
        string? boundary = BoundaryOf(header);
        if (string.IsNullOrEmpty(boundary))
        {
            SkipContent();
            return;
        }

        var own = new Boundary(Encoding.UTF8.GetBytes("--" + boundary));
        _boundaries.Add(own);
        int ownIndex = _boundaries.Count - 1;
        bool digest = part.MediaSubtype.Equals("digest", StringComparison.OrdinalIgnoreCase);
        SkipContent();
        while (_atBoundary && _boundaryIndex == ownIndex && !_boundaryIsFinal)
        {
            if (_parts >= _limits.MaxMimeParts)
            {
                // No more parts: the rest of this multipart is the content of its last part.
                own.Active = false;
                SkipContent();
                if (parts.Count > 0)
                {
                    parts[^1].ExtendEnd(EndPosition(), EndLineFeeds());
                }

                break;
            }

            _reader.Consume();
            BodyPart? child = ParseEntity(depth + 1, digest, top: false);
            if (child is not null)
            {
                parts.Add(child);
            }
        }

        if (_atBoundary && _boundaryIndex == ownIndex && _boundaryIsFinal)
        {
            _reader.Consume();
            SkipContent();
        }

        _boundaries.RemoveAt(ownIndex);
    }

    // An empty message/rfc822 part (its content a boundary line or nothing) encapsulates no message, as in MimeKit.
    private void ParseEncapsulated(BodyPart part, int depth)
    {
        if (!_reader.Peek())
        {
            _atBoundary = false;
            return;
        }

        if (AtBoundary())
        {
            return;
        }

        if (ParseEntity(depth + 1, inDigest: false, top: false) is { } message)
        {
            part.SetMessage(message);
        }
    }

    /// <summary>Consumes content lines up to a boundary line of an open multipart (left for the caller) or the end.</summary>
    private void SkipContent()
    {
        while (_reader.Peek())
        {
            if (AtBoundary())
            {
                return;
            }

            _reader.Consume();
        }

        _atBoundary = false;
    }

    private void Finish(BodyPart part, long contentLineFeeds) => part.SetEnd(EndPosition(), contentLineFeeds, EndLineFeeds());

    // Where content stopped: before the line end that precedes a boundary line (RFC 2046 §5.1.1), or at the end.
    private long EndPosition() => _atBoundary ? _reader.Position - _reader.PreviousTerminatorLength : _reader.Position;

    private long EndLineFeeds() => _atBoundary && _reader.PreviousTerminatorLength > 0 ? _reader.LineFeeds - 1 : _reader.LineFeeds;

    /// <summary>Whether the peeked line is a boundary of an open multipart, the innermost first (as MimeKit checks).</summary>
    private bool AtBoundary()
    {
        _atBoundary = false;
        if (_boundaries.Count == 0 || !_reader.IsWhole)
        {
            return false;
        }

        ReadOnlySpan<byte> line = _reader.Line;
        if (line.Length < 2 || line[0] != (byte)'-' || line[1] != (byte)'-')
        {
            return false;
        }

        line = line.TrimEnd(" \t"u8);
        for (int i = _boundaries.Count - 1; i >= 0; i--)
        {
            Boundary boundary = _boundaries[i];
            if (!boundary.Active || !line.StartsWith(boundary.Marker))
            {
                continue;
            }

            ReadOnlySpan<byte> rest = line[boundary.Marker.Length..];
            if (rest.IsEmpty || rest.SequenceEqual("--"u8))
            {
                _atBoundary = true;
                _boundaryIndex = i;
                _boundaryIsFinal = !rest.IsEmpty;
                return true;
            }
        }

        return false;
    }

    // field = field-name ":" ...; field-name = 1*ftext (printable US-ASCII but ":"), blanks before the colon allowed
    // (RFC 5322 §3.6.8, and obsolete syntax §4.5).
    private static bool TryReadFieldName(ReadOnlySpan<byte> line, out string? name, out int valueStart)
    {
        name = null;
        valueStart = 0;
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> field = line[..colon].TrimEnd(" \t"u8);
        if (field.IsEmpty || field.ContainsAnyExceptInRange((byte)'!', (byte)'~'))
        {
            return false;
        }

        name = Encoding.ASCII.GetString(field);
        valueStart = colon + 1;
        return true;
    }

    // RFC 2045 §5.2: no Content-Type means text/plain (message/rfc822 in a digest); one that cannot be read is taken
    // as application/octet-stream, as MimeKit does.
    private static (string Type, string Subtype) MediaTypeOf(HeaderBlock header, bool inDigest)
    {
        string? value = header.Get("Content-Type");
        if (value is null)
        {
            return inDigest ? ("message", "rfc822") : ("text", "plain");
        }

        string mime = RawParameters.Value(value);
        int slash = mime.IndexOf('/', StringComparison.Ordinal);
        string type = slash < 0 ? string.Empty : mime[..slash].Trim();
        string subtype = slash < 0 ? string.Empty : TokenPrefix(mime.AsSpan(slash + 1).Trim());
        return IsToken(type) && subtype.Length > 0 ? (type, subtype) : ("application", "octet-stream");
    }

    private static string? BoundaryOf(HeaderBlock header)
    {
        foreach (KeyValuePair<string, string> parameter in RawParameters.Parse(header.Get("Content-Type") ?? string.Empty))
        {
            if (parameter.Key == "boundary")
            {
                return parameter.Value;
            }
        }

        return null;
    }

    private static bool IsMultipart(string type) => type.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    // token = 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials> (RFC 2045 §5.1)
    private static bool IsToken(string text)
    {
        foreach (char c in text)
        {
            if (c is <= ' ' or >= '\x7f' || TokenSpecials.Contains((byte)c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static string TokenPrefix(ReadOnlySpan<char> text)
    {
        int length = 0;
        while (length < text.Length && text[length] is > ' ' and < '\x7f' && !TokenSpecials.Contains((byte)text[length]))
        {
            length++;
        }

        return text[..length].ToString();
    }

    private sealed class Boundary(byte[] marker)
    {
        public byte[] Marker { get; } = marker;

        /// <summary>False once its multipart may have no more parts: its lines are then content.</summary>
        public bool Active { get; set; } = true;
    }
}

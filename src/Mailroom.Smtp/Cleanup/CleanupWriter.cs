using System.Text;

namespace Mailroom.Smtp.Cleanup;

/// <summary>
/// Postfix's cleanup step, streaming: writes the trace header first, then the client's content, watching the
/// header section as it passes to learn the Message-ID (for the mail log) and whether Message-ID and Date are
/// present; when asked, inserts the missing ones where the header section ends. Holds at most one field name.
/// With an authserv-id, it removes every Authentication-Results field claiming that id (RFC 8601 §5: a result
/// purporting to be ours did not come from us), holding such a field only until its authserv-id is read.
/// </summary>
internal sealed class CleanupWriter
{
    private const int MaxFieldName = 76;
    private const int MaxMessageIdLength = 998;
    private const int MaxAuthservCapture = 1024;
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly Stream _destination;
    private readonly Func<(string MessageId, string Date)>? _missingHeaders;
    private readonly byte[] _held = new byte[MaxFieldName + 1];
    private readonly StringBuilder _messageId = new();
    private int _heldCount;
    private bool _inHeaders = true;
    private bool _atLineStart = true;
    private bool _capturingMessageId;
    private bool _sawMessageId;
    private bool _sawDate;
    private LineKind _line = LineKind.Undecided;
    private readonly string? _authservId;
    private readonly MemoryStream _capture = new();
    private ForeignResults _results = ForeignResults.None;

    // Header bytes of the chunks before this one, and where the current field began (same count): the field sizes.
    private long _headerOffset;
    private long _fieldStart;

    /// <param name="destination">The submission's content stream.</param>
    /// <param name="missingHeaders">
    /// When set (submission roles), supplies Message-ID (with brackets) and Date values for headers the message lacks.
    /// </param>
    /// <param name="authservId">This server's authserv-id when it adds Authentication-Results; null otherwise.</param>
    public CleanupWriter(Stream destination, Func<(string MessageId, string Date)>? missingHeaders, string? authservId = null)
    {
        _destination = destination;
        _missingHeaders = missingHeaders;
        _authservId = authservId;
    }

    /// <summary>Where an Authentication-Results field stands: being read up to its authserv-id, or being dropped.</summary>
    private enum ForeignResults
    {
        None,
        Capturing,
        Dropping,
    }

    private enum LineKind
    {
        Undecided,
        Header,
        Other,
    }

    /// <summary>
    /// The bytes of the largest header field the client sent, with its continuation lines and line ends (what Postfix's
    /// <c>header_size_limit</c> measures); the trace header this server writes is not counted.
    /// </summary>
    public long LargestHeaderField { get; private set; }

    /// <summary>The number of header fields the client sent.</summary>
    public int HeaderFieldCount { get; private set; }

    /// <summary>The Message-ID as the message carries it (or as added); null when it has none.</summary>
    public string? MessageId { get; private set; }

    public ValueTask WriteTraceAsync(string header, CancellationToken cancellationToken) =>
        _destination.WriteAsync(Encoding.UTF8.GetBytes(header), cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // data[start..] is not written yet. Runs of header lines leave in one write per chunk (a header section of a
        // million short lines costs no more than a body of the same size); only a field name cut by the chunk's end is
        // held back, because the missing headers may have to be inserted before its line.
        int start = 0;
        int lineStart = 0;
        int i = 0;
        while (_inHeaders && i < data.Length)
        {
            byte b = data.Span[i];
            if (_atLineStart)
            {
                _atLineStart = false;
                if (b is (byte)' ' or (byte)'\t')
                {
                    // RFC 5322 §2.2.3 folding: a continuation of the previous field.
                    _line = LineKind.Header;
                    continue;
                }

                if (b is (byte)'\r' or (byte)'\n')
                {
                    // The empty line that ends the header section: add what is missing before it.
                    NoteFieldEnd(_headerOffset + i);
                    await EmitAsync(data[start..i], cancellationToken).ConfigureAwait(false);
                    await EndFieldAsync(cancellationToken).ConfigureAwait(false);
                    start = i;
                    await EndHeadersAsync(blankLineFollows: true, cancellationToken).ConfigureAwait(false);
                    break;
                }

                _capturingMessageId = false;
                _line = LineKind.Undecided;
                NoteFieldEnd(_headerOffset + i);
                _fieldStart = _headerOffset + i;
                if (_results != ForeignResults.None)
                {
                    // The Authentication-Results field being held or dropped ends where this line starts.
                    await EmitAsync(data[start..i], cancellationToken).ConfigureAwait(false);
                    await EndFieldAsync(cancellationToken).ConfigureAwait(false);
                    start = i;
                }

                lineStart = i;
            }

            if (_line == LineKind.Undecided)
            {
                // The field name so far: what is held from the previous chunk and what this chunk has of it.
                int nameLength = _heldCount + (i - lineStart);
                if (b == (byte)':' && nameLength > 0)
                {
                    _line = LineKind.Header;
                    HeaderFieldCount++;
                    bool foreignResults;
                    if (_heldCount == 0)
                    {
                        foreignResults = NoteField(data.Span[lineStart..i]);
                    }
                    else
                    {
                        data.Span[lineStart..i].CopyTo(_held.AsSpan(_heldCount));
                        foreignResults = NoteField(_held.AsSpan(0, nameLength));
                    }

                    if (foreignResults)
                    {
                        // Everything before this line leaves as it is; this field is held until its authserv-id is read.
                        await EmitAsync(data[start..lineStart], cancellationToken).ConfigureAwait(false);
                        start = lineStart;
                        _results = ForeignResults.Capturing;
                        _capture.SetLength(0);
                    }

                    // Held bytes start this line and come before everything of this chunk (start and lineStart are 0).
                    await FlushHeldAsync(cancellationToken).ConfigureAwait(false);
                    i++;
                    continue;
                }

                if (b is > 32 and < 127 && nameLength < MaxFieldName)
                {
                    i++;
                    continue;
                }

                // Not a header: the body starts on this line without the empty line (RFC 5322 §2.1 needs one).
                _line = LineKind.Other;
                NoteFieldEnd(_headerOffset + lineStart);
                await EmitAsync(data[start..lineStart], cancellationToken).ConfigureAwait(false);
                await EndFieldAsync(cancellationToken).ConfigureAwait(false);
                await EndHeadersAsync(blankLineFollows: false, cancellationToken).ConfigureAwait(false);
                await FlushHeldAsync(cancellationToken).ConfigureAwait(false);
                start = lineStart;
                break;
            }

            if (_capturingMessageId && b is not (byte)'\r' and not (byte)'\n' && _messageId.Length < MaxMessageIdLength)
            {
                _messageId.Append((char)b);
            }

            if (b == (byte)'\n')
            {
                _atLineStart = true;
            }

            i++;
        }

        if (_inHeaders)
        {
            _headerOffset += data.Length;
            NoteFieldEnd(_headerOffset);
        }

        if (_inHeaders && _line == LineKind.Undecided && !_atLineStart)
        {
            // A field name runs to the end of this chunk: hold it (at most MaxFieldName bytes) until its line is known.
            await EmitAsync(data[start..lineStart], cancellationToken).ConfigureAwait(false);
            data.Span[lineStart..].CopyTo(_held.AsSpan(_heldCount));
            _heldCount += data.Length - lineStart;
            return;
        }

        await EmitAsync(data[start..], cancellationToken).ConfigureAwait(false);
    }

    // The current field reaches (at least) offset end of the header section.
    private void NoteFieldEnd(long end) => LargestHeaderField = Math.Max(LargestHeaderField, end - _fieldStart);

    /// <summary>Called when the content ended: a message with no body still gets its missing headers.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_inHeaders)
        {
            if (!_atLineStart && _heldCount == 0)
            {
                await EmitAsync(CrLf, cancellationToken).ConfigureAwait(false);
            }

            await EndFieldAsync(cancellationToken).ConfigureAwait(false);
            await EndHeadersAsync(blankLineFollows: _heldCount == 0, cancellationToken).ConfigureAwait(false);
            await FlushHeldAsync(cancellationToken).ConfigureAwait(false);
        }

        MessageId ??= _sawMessageId ? _messageId.ToString().Trim() : null;
    }

    /// <summary>Notes a field the missing headers depend on; true for an Authentication-Results field to check.</summary>
    private bool NoteField(ReadOnlySpan<byte> name)
    {
        if (Ascii.EqualsIgnoreCase(name, "Message-ID"u8))
        {
            _sawMessageId = true;
            _capturingMessageId = _messageId.Length == 0;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Date"u8))
        {
            _sawDate = true;
        }

        return _authservId is not null && Ascii.EqualsIgnoreCase(name, "Authentication-Results"u8);
    }

    /// <summary>Every byte of output passes here, so an Authentication-Results field can be held or dropped whole.</summary>
    private async ValueTask EmitAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        switch (_results)
        {
            case ForeignResults.None:
                await _destination.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                return;
            case ForeignResults.Dropping:
                return;
            default:
                _capture.Write(data.Span);
                if (DecideCaptured(fieldEnded: false) is { } ours)
                {
                    await ReleaseCaptureAsync(ours, cancellationToken).ConfigureAwait(false);
                }

                return;
        }
    }

    /// <summary>A new field starts (or the header section ends): a field still held is decided on what it holds.</summary>
    private async ValueTask EndFieldAsync(CancellationToken cancellationToken)
    {
        if (_results == ForeignResults.Capturing)
        {
            await ReleaseCaptureAsync(DecideCaptured(fieldEnded: true) ?? false, cancellationToken).ConfigureAwait(false);
        }

        _results = ForeignResults.None;
    }

    private async ValueTask ReleaseCaptureAsync(bool ours, CancellationToken cancellationToken)
    {
        _results = ours ? ForeignResults.Dropping : ForeignResults.None;
        if (!ours)
        {
            await _destination.WriteAsync(_capture.GetBuffer().AsMemory(0, (int)_capture.Length), cancellationToken).ConfigureAwait(false);
        }

        _capture.SetLength(0);
    }

    /// <summary>
    /// RFC 8601 §2.2: the value starts with the authserv-id. True when it is ours, false when it is another, null
    /// while the captured bytes do not yet show its end.
    /// </summary>
    private bool? DecideCaptured(bool fieldEnded)
    {
        ReadOnlySpan<byte> field = _capture.GetBuffer().AsSpan(0, (int)_capture.Length);
        int colon = field.IndexOf((byte)':');
        if (colon < 0)
        {
            return fieldEnded ? false : null;
        }

        ReadOnlySpan<byte> value = field[(colon + 1)..].TrimStart(" \t\r\n"u8);
        int end = value.IndexOfAny(";( \t\r\n"u8);
        if (end < 0 && !fieldEnded && field.Length < MaxAuthservCapture)
        {
            return null;
        }

        ReadOnlySpan<byte> id = end < 0 ? value : value[..end];
        return id.Length > 0 && Encoding.ASCII.GetString(id).Equals(_authservId, StringComparison.OrdinalIgnoreCase);
    }

    private async ValueTask FlushHeldAsync(CancellationToken cancellationToken)
    {
        if (_heldCount > 0)
        {
            await EmitAsync(_held.AsMemory(0, _heldCount), cancellationToken).ConfigureAwait(false);
            _heldCount = 0;
        }
    }

    private async ValueTask EndHeadersAsync(bool blankLineFollows, CancellationToken cancellationToken)
    {
        _inHeaders = false;
        _capturingMessageId = false;
        if (_sawMessageId)
        {
            MessageId = _messageId.ToString().Trim();
        }

        var added = new StringBuilder();
        if (_missingHeaders is not null && (!_sawMessageId || !_sawDate))
        {
            (string messageId, string date) = _missingHeaders();
            if (!_sawMessageId)
            {
                added.Append("Message-Id: ").Append(messageId).Append("\r\n");
                MessageId = messageId;
            }

            if (!_sawDate)
            {
                added.Append("Date: ").Append(date).Append("\r\n");
            }
        }

        if (!blankLineFollows)
        {
            added.Append("\r\n");
        }

        if (added.Length > 0)
        {
            await EmitAsync(Encoding.UTF8.GetBytes(added.ToString()), cancellationToken).ConfigureAwait(false);
        }
    }
}

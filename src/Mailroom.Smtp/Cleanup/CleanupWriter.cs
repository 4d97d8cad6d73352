using System.Text;

namespace Mailroom.Smtp.Cleanup;

/// <summary>
/// Postfix's cleanup step, streaming: writes the trace header first, then the client's content, watching the
/// header section as it passes to learn the Message-ID (for the mail log) and whether Message-ID and Date are
/// present; when asked, inserts the missing ones where the header section ends. Holds at most one field name.
/// </summary>
internal sealed class CleanupWriter
{
    private const int MaxFieldName = 76;
    private const int MaxMessageIdLength = 998;
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

    /// <param name="destination">The submission's content stream.</param>
    /// <param name="missingHeaders">
    /// When set (submission roles), supplies Message-ID (with brackets) and Date values for headers the message lacks.
    /// </param>
    public CleanupWriter(Stream destination, Func<(string MessageId, string Date)>? missingHeaders)
    {
        _destination = destination;
        _missingHeaders = missingHeaders;
    }

    private enum LineKind
    {
        Undecided,
        Header,
        Other,
    }

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
                    await _destination.WriteAsync(data[start..i], cancellationToken).ConfigureAwait(false);
                    start = i;
                    await EndHeadersAsync(blankLineFollows: true, cancellationToken).ConfigureAwait(false);
                    break;
                }

                _capturingMessageId = false;
                _line = LineKind.Undecided;
                lineStart = i;
            }

            if (_line == LineKind.Undecided)
            {
                // The field name so far: what is held from the previous chunk and what this chunk has of it.
                int nameLength = _heldCount + (i - lineStart);
                if (b == (byte)':' && nameLength > 0)
                {
                    _line = LineKind.Header;
                    if (_heldCount == 0)
                    {
                        NoteField(data.Span[lineStart..i]);
                    }
                    else
                    {
                        data.Span[lineStart..i].CopyTo(_held.AsSpan(_heldCount));
                        NoteField(_held.AsSpan(0, nameLength));
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
                await _destination.WriteAsync(data[start..lineStart], cancellationToken).ConfigureAwait(false);
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

        if (_inHeaders && _line == LineKind.Undecided && !_atLineStart)
        {
            // A field name runs to the end of this chunk: hold it (at most MaxFieldName bytes) until its line is known.
            await _destination.WriteAsync(data[start..lineStart], cancellationToken).ConfigureAwait(false);
            data.Span[lineStart..].CopyTo(_held.AsSpan(_heldCount));
            _heldCount += data.Length - lineStart;
            return;
        }

        await _destination.WriteAsync(data[start..], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called when the content ended: a message with no body still gets its missing headers.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_inHeaders)
        {
            if (!_atLineStart && _heldCount == 0)
            {
                await _destination.WriteAsync(CrLf, cancellationToken).ConfigureAwait(false);
            }

            await EndHeadersAsync(blankLineFollows: _heldCount == 0, cancellationToken).ConfigureAwait(false);
            await FlushHeldAsync(cancellationToken).ConfigureAwait(false);
        }

        MessageId ??= _sawMessageId ? _messageId.ToString().Trim() : null;
    }

    private void NoteField(ReadOnlySpan<byte> name)
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
    }

    private async ValueTask FlushHeldAsync(CancellationToken cancellationToken)
    {
        if (_heldCount > 0)
        {
            await _destination.WriteAsync(_held.AsMemory(0, _heldCount), cancellationToken).ConfigureAwait(false);
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
            await _destination.WriteAsync(Encoding.UTF8.GetBytes(added.ToString()), cancellationToken).ConfigureAwait(false);
        }
    }
}

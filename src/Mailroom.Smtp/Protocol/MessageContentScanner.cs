namespace Mailroom.Smtp.Protocol;

/// <summary>
/// The byte-level state machine of message content: RFC 5321 §4.5.2 dot-unstuffing, the end of DATA, bare
/// CR/LF and NUL detection and the size count. It never buffers: each call turns input bytes into output
/// bytes in the caller's buffer, and state carries across calls, so input may be split anywhere.
/// </summary>
/// <remarks>
/// DATA ends only at <c>&lt;CRLF&gt;.&lt;CRLF&gt;</c>: <c>&lt;LF&gt;.&lt;LF&gt;</c>, <c>&lt;LF&gt;.&lt;CRLF&gt;</c> and
/// <c>&lt;CR&gt;.&lt;CR&gt;</c> are content, which defeats SMTP smuggling (2023), where a receiver and a relay
/// disagree on where a message ends. Once the content is known to be refused (too big, bare line ending, NUL)
/// nothing more is written, but scanning goes on to the end marker so the session stays in step.
/// </remarks>
internal sealed class MessageContentScanner
{
    /// <summary>Output space the caller must leave free for one step (a lone "." line with a bare LF emits 3 bytes).</summary>
    public const int MinOutputSpace = 4;

    private readonly bool _dotStuffed;
    private readonly bool _binary;
    private readonly bool _normalize;
    private readonly long _maxSize;
    private State _state = State.LineStart;
    private bool _lineStartAfterCrlf = true;

    /// <param name="dotStuffed">True for DATA (unstuffing and end marker); false for BDAT chunks.</param>
    /// <param name="binary">BDAT with BODY=BINARYMIME (RFC 3030 §3): content passes unchanged and unchecked.</param>
    /// <param name="normalizeBareLineEndings">Turn bare CR or LF into CRLF instead of refusing the message.</param>
    /// <param name="maxSize">Bytes of content allowed; past it the content is discarded.</param>
    public MessageContentScanner(bool dotStuffed, bool binary, bool normalizeBareLineEndings, long maxSize)
    {
        _dotStuffed = dotStuffed;
        _binary = binary && !dotStuffed;
        _normalize = normalizeBareLineEndings;
        _maxSize = maxSize;
    }

    private enum State
    {
        LineStart,
        Dot,
        DotCr,
        Text,
        Cr,
    }

    /// <summary>Bytes of content seen (after unstuffing and normalisation), including discarded ones.</summary>
    public long Size { get; private set; }

    public bool TooBig => Size > _maxSize;

    public ContentViolation Violation { get; private set; }

    /// <summary>DATA only: the end marker has been consumed.</summary>
    public bool Completed { get; private set; }

    /// <summary>True when the content will be refused: nothing more is written.</summary>
    public bool Discarding => TooBig || Violation != ContentViolation.None;

    /// <summary>
    /// Scans until the input is used up, the output has fewer than <see cref="MinOutputSpace"/> bytes free,
    /// or (DATA) the end marker has been consumed.
    /// </summary>
    public void Scan(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        int i = 0;
        int w = 0;
        if (_binary)
        {
            int n = Math.Min(input.Length, output.Length);
            Size += n;
            if (!Discarding)
            {
                input[..n].CopyTo(output);
                w = n;
            }

            consumed = n;
            written = w;
            return;
        }

        while (i < input.Length && output.Length - w >= MinOutputSpace && !Completed)
        {
            byte b = input[i];
            switch (_state)
            {
                case State.LineStart when _dotStuffed && b == (byte)'.':
                    _state = State.Dot;
                    i++;
                    break;
                case State.LineStart:
                    _state = State.Text;
                    break;
                case State.Dot when b == (byte)'\r':
                    _state = State.DotCr;
                    i++;
                    break;
                case State.Dot when b == (byte)'\n':
                    // "." followed by a bare LF is not the end (smuggling defence); it is a content line ".".
                    BareLineEnding();
                    Emit(output, ref w, (byte)'.');
                    EmitLineEnd(output, ref w);
                    NewLine(afterCrlf: false);
                    i++;
                    break;
                case State.Dot:
                    // RFC 5321 §4.5.2: a leading period is deleted when other characters follow it.
                    _state = State.Text;
                    break;
                case State.DotCr when b == (byte)'\n':
                    i++;
                    if (_lineStartAfterCrlf)
                    {
                        Completed = true;
                    }
                    else
                    {
                        Emit(output, ref w, (byte)'.');
                        EmitLineEnd(output, ref w);
                        NewLine(afterCrlf: true);
                    }

                    break;
                case State.DotCr:
                    BareLineEnding();
                    Emit(output, ref w, (byte)'.');
                    EmitLineEnd(output, ref w);
                    NewLine(afterCrlf: false);
                    break;
                case State.Text:
                    i += ScanText(input[i..], output, ref w);
                    break;
                case State.Cr when b == (byte)'\n':
                    EmitLineEnd(output, ref w);
                    NewLine(afterCrlf: true);
                    i++;
                    break;
                case State.Cr:
                    BareLineEnding();
                    EmitLineEnd(output, ref w);
                    if (b == (byte)'\r')
                    {
                        i++;
                    }
                    else
                    {
                        NewLine(afterCrlf: false);
                    }

                    break;
            }
        }

        consumed = i;
        written = w;
    }

    /// <summary>BDAT: the last chunk ended; a trailing CR is a bare CR.</summary>
    public void Finish(Span<byte> output, out int written)
    {
        written = 0;
        if (!_binary && _state == State.Cr)
        {
            BareLineEnding();
            EmitLineEnd(output, ref written);
            NewLine(afterCrlf: false);
        }
    }

    private int ScanText(ReadOnlySpan<byte> input, Span<byte> output, ref int w)
    {
        // Fast path: copy the run of ordinary bytes in one go.
        int room = output.Length - w - MinOutputSpace + 1;
        ReadOnlySpan<byte> window = input.Length > room ? input[..room] : input;
        int special = window.IndexOfAny((byte)'\r', (byte)'\n', (byte)0);
        int run = special < 0 ? window.Length : special;
        if (run > 0)
        {
            Size += run;
            if (!Discarding)
            {
                window[..run].CopyTo(output[w..]);
                w += run;
            }

            return run;
        }

        switch (input[0])
        {
            case (byte)'\r':
                _state = State.Cr;
                break;
            case (byte)'\n':
                BareLineEnding();
                EmitLineEnd(output, ref w);
                NewLine(afterCrlf: false);
                break;
            default:
                Violation = Violation == ContentViolation.None ? ContentViolation.Nul : Violation;
                break;
        }

        return 1;
    }

    private void NewLine(bool afterCrlf)
    {
        _state = State.LineStart;
        _lineStartAfterCrlf = afterCrlf;
    }

    private void BareLineEnding()
    {
        if (!_normalize && Violation == ContentViolation.None)
        {
            Violation = ContentViolation.BareLineEnding;
        }
    }

    private void EmitLineEnd(Span<byte> output, ref int w)
    {
        Emit(output, ref w, (byte)'\r');
        Emit(output, ref w, (byte)'\n');
    }

    private void Emit(Span<byte> output, ref int w, byte b)
    {
        Size++;
        if (!Discarding)
        {
            output[w++] = b;
        }
    }
}

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// Finds the end of DATA content, <c>CRLF.CRLF</c> (RFC 5321 §4.1.1.4), in a byte stream that arrives in
/// arbitrary pieces: the match state survives between calls, so a terminator split across segments is found.
/// Only the exact sequence ends the content (SMTP smuggling, 2023): a bare LF around the dot does not, and a
/// dot-stuffed line (<c>..text</c>) is content.
/// </summary>
internal struct DataTerminatorScanner
{
    private State _state;

    private enum State
    {
        // The DATA command's own CRLF counts as the CRLF before a possible first-line ".".
        LineStart = 0,
        MidLine,
        MidLineCr,
        Dot,
        DotCr,
    }

    /// <summary>Call after each DATA command: content starts at the beginning of a line.</summary>
    public void Reset() => _state = State.LineStart;

    /// <summary>
    /// Returns how many bytes of <paramref name="data"/> belong to the content including the terminator, or -1
    /// when the terminator is not in it (all of it is content).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_state == State.MidLine)
            {
                // Fast path: skip straight to the next CR.
                int cr = data[i..].IndexOf((byte)'\r');
                if (cr < 0)
                {
                    return -1;
                }

                i += cr + 1;
                _state = State.MidLineCr;
                continue;
            }

            byte b = data[i++];
            if (_state == State.DotCr && b == (byte)'\n')
            {
                _state = State.LineStart;
                return i;
            }

            _state = b switch
            {
                (byte)'\r' => _state == State.Dot ? State.DotCr : State.MidLineCr,
                (byte)'\n' when _state == State.MidLineCr => State.LineStart,
                (byte)'.' when _state == State.LineStart => State.Dot,
                _ => State.MidLine,
            };
        }

        return -1;
    }
}

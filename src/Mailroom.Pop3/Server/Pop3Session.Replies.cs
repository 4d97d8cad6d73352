using System.Buffers;
using System.Text;

namespace Mailroom.Pop3.Server;

/// <summary>
/// Writing replies: every <c>-ERR</c> spends the session's error budget (<see cref="Pop3Options.MaxErrors"/>): all of
/// them before login, those since the last command that succeeded after it.
/// </summary>
internal sealed partial class Pop3Session
{
    /// <summary>RFC 2449 §4: a response line, CRLF included, is at most 512 octets.</summary>
    private const int MaxResponseLength = 512;

    /// <summary><c>+OK text</c> (or a bare <c>+OK</c>).</summary>
    public void Ok(string text) => WriteLine(text.Length == 0 ? "+OK" : "+OK " + text);

    /// <summary>
    /// <c>-ERR text</c>; text may start with an RFC 2449 §8 response code such as <c>[AUTH]</c>. Text that echoes the
    /// client (an invalid message number) is cut so the line stays within RFC 2449 §4's 512 octets.
    /// </summary>
    public void Err(string text)
    {
        SpendError();
        WriteLine("-ERR " + FitResponse(text, MaxResponseLength - "-ERR \r\n".Length));
    }

    /// <summary>A line of a multi-line response (RFC 1939 §3); the caller byte-stuffs it if it may start with ".".</summary>
    public void WriteLine(string text)
    {
        Encoding.UTF8.GetBytes(text, Output);
        Output.Write("\r\n"u8);
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 octets, ending it in "..." when cut.</summary>
    internal static string FitResponse(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int bytes = 0;
        int length = 0;
        while (length < text.Length)
        {
            int step = char.IsSurrogatePair(text, length) ? 2 : 1;
            int size = Encoding.UTF8.GetByteCount(text.AsSpan(length, step));
            if (bytes + size > maxBytes - 3)
            {
                break;
            }

            bytes += size;
            length += step;
        }

        return string.Concat(text.AsSpan(0, length), "...");
    }

    /// <summary>Ends a multi-line response.</summary>
    public void EndMultiline() => Output.Write(".\r\n"u8);

    /// <summary>The output, for streaming a message.</summary>
    public System.IO.Pipelines.PipeWriter Writer => Output;
}

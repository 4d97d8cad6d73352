using System.Buffers;
using System.Text;

namespace Mailroom.Pop3.Server;

/// <summary>
/// Writing replies: every <c>-ERR</c> spends the session's error budget (<see cref="Pop3Options.MaxErrors"/>): all of
/// them before login, those since the last command that succeeded after it.
/// </summary>
internal sealed partial class Pop3Session
{
    /// <summary><c>+OK text</c> (or a bare <c>+OK</c>).</summary>
    public void Ok(string text) => WriteLine(text.Length == 0 ? "+OK" : "+OK " + text);

    /// <summary><c>-ERR text</c>; text may start with an RFC 2449 §8 response code such as <c>[AUTH]</c>.</summary>
    public void Err(string text)
    {
        SpendError();
        WriteLine("-ERR " + text);
    }

    /// <summary>A line of a multi-line response (RFC 1939 §3); the caller byte-stuffs it if it may start with ".".</summary>
    public void WriteLine(string text)
    {
        Encoding.UTF8.GetBytes(text, Output);
        Output.Write("\r\n"u8);
    }

    /// <summary>Ends a multi-line response.</summary>
    public void EndMultiline() => Output.Write(".\r\n"u8);

    /// <summary>The output, for streaming a message.</summary>
    public System.IO.Pipelines.PipeWriter Writer => Output;
}

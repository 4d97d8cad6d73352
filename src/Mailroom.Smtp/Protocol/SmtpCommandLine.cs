using System.Text;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// A command line split into its verb (upper-cased: commands are case-insensitive, RFC 5321 §2.4) and its
/// argument text (UTF-8 decoded, surrounding spaces removed).
/// </summary>
internal readonly record struct SmtpCommandLine(string Verb, string Argument)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Splits a line (without its CRLF). Returns false when the bytes are not valid UTF-8 (RFC 6531 §3.3 allows
    /// UTF-8 in arguments, nothing else).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out SmtpCommandLine command)
    {
        command = default;
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> verb = space < 0 ? line : line[..space];
        ReadOnlySpan<byte> argument = space < 0 ? [] : line[(space + 1)..];
        if (verb.Length > 16)
        {
            // No verb is this long; keep it bounded so the unknown-command path cannot be made to allocate much.
            verb = verb[..16];
        }

        var verbChars = new char[verb.Length];
        for (int i = 0; i < verb.Length; i++)
        {
            byte b = verb[i];
            if (b >= 0x80)
            {
                return false;
            }

            verbChars[i] = char.ToUpperInvariant((char)b);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(argument.Trim(" \t"u8));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        command = new SmtpCommandLine(new string(verbChars), text);
        return true;
    }
}

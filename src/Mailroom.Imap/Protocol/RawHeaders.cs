using System.Text;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>Raw header values as the message has them: unfolded (CRLF removed, RFC 5322 §2.2.3) and trimmed.</summary>
internal static class RawHeaders
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first field named <paramref name="name"/>, or null when absent.</summary>
    public static string? Get(HeaderList headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (Header header in headers)
        {
            if (header.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Unfold(header.RawValue);
            }
        }

        return null;
    }

    // 8-bit header text is taken as UTF-8 (RFC 6532); bytes that are not UTF-8 are read as Latin-1 rather than lost.
    private static string Unfold(byte[] raw)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(raw);
        }

        return text.Replace("\r", string.Empty, StringComparison.Ordinal)
            .Replace("\n", string.Empty, StringComparison.Ordinal)
            .Trim(' ', '\t');
    }
}

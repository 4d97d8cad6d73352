using System.Text;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>The header fields of a message or body part, in file order.</summary>
internal sealed class HeaderBlock
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public HeaderBlock(IReadOnlyList<HeaderField> fields)
    {
        Fields = fields;
    }

    public static HeaderBlock Empty { get; } = new([]);

    public IReadOnlyList<HeaderField> Fields { get; }

    /// <summary>The first field named <paramref name="name"/> (any case), unfolded and trimmed; null when absent.</summary>
    public string? Get(string name)
    {
        foreach (HeaderField field in Fields)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Unfold(field.RawValue);
            }
        }

        return null;
    }

    /// <summary>
    /// A value as text: CRLF removed (RFC 5322 §2.2.3) and surrounding blanks trimmed. 8-bit text is taken as UTF-8
    /// (RFC 6532); bytes that are not UTF-8 are read as Latin-1 rather than lost.
    /// </summary>
    public static string Unfold(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
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

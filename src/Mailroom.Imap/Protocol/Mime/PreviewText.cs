using System.Buffers;
using System.Text;
using Mailroom.Core.Text;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// RFC 8970 PREVIEW: the start of the message's first text part (text/plain, or text/html reduced to its text; an
/// attachment is no part of the text), transfer encoding and charset decoded, every run of white space one space, at
/// most <see cref="MaxCharacters"/> characters. A message with no such part (encrypted, only attachments) gets the
/// empty string, which §3 asks for when nothing meaningful can be shown. Linear and bounded: at most
/// <see cref="MaxDecodedBytes"/> of the part are decoded, however large it is.
/// </summary>
internal static class PreviewText
{
    /// <summary>RFC 8970 §3: no more than 256 characters; 200 as the RFC's examples and Dovecot give.</summary>
    public const int MaxCharacters = 200;

    /// <summary>
    /// Enough decoded bytes of the part for 200 characters of text, even after an HTML head with its styles; the rest
    /// of the part is never read.
    /// </summary>
    public const int MaxDecodedBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Generate(Stream file, BodyPart message)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(message);
        if (FirstTextPart(message) is not { } part)
        {
            return string.Empty;
        }

        string text = Decode(file, part);
        if (part.MediaSubtype.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            text = HtmlText.Extract(text, 4 * MaxCharacters, skipDocumentHead: true);
        }

        return Normalize(text);
    }

    /// <summary>The first text/plain or text/html leaf in document order that is not an attachment; null when none.</summary>
    private static BodyPart? FirstTextPart(BodyPart message)
    {
        var pending = new Stack<BodyPart>();
        pending.Push(message);
        while (pending.Count > 0)
        {
            BodyPart part = pending.Pop();
            if (part.Parts is { } parts)
            {
                for (int i = parts.Count - 1; i >= 0; i--)
                {
                    pending.Push(parts[i]);
                }
            }
            else if (part.IsText && IsReadable(part) && !IsAttachment(part))
            {
                return part;
            }
        }

        return null;
    }

    private static bool IsReadable(BodyPart part) =>
        part.MediaSubtype.Equals("plain", StringComparison.OrdinalIgnoreCase) || part.MediaSubtype.Equals("html", StringComparison.OrdinalIgnoreCase);

    private static bool IsAttachment(BodyPart part) =>
        part.Header.Get("Content-Disposition") is { } disposition
        && disposition.TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase);

    private static string Decode(Stream file, BodyPart part)
    {
        ContentEncoding encoding;
        try
        {
            encoding = ContentReader.EncodingOf(part);
        }
        catch (UnknownCteException)
        {
            // An encoding nobody can remove: its raw text is still what the sender wrote.
            encoding = ContentEncoding.Identity;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDecodedBytes);
        try
        {
            int length = 0;
            using (var reader = new ContentReader(file, part.HeadersEnd, part.End, encoding))
            {
                int read;
                while (length < MaxDecodedBytes && (read = reader.Read(buffer.AsSpan(length, MaxDecodedBytes - length))) > 0)
                {
                    length += read;
                }
            }

            return ToText(part, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // As MimeKit's TextPart.Text: the declared charset when known, else UTF-8, else Latin-1. A character cut by the
    // decoding limit is dropped, not shown as a replacement character.
    private static string ToText(BodyPart part, ReadOnlySpan<byte> bytes)
    {
        if (MessageText.CharsetOf(part) is { } charset && Charsets.TryGet(charset, out Encoding? declared))
        {
            return declared.GetString(bytes).TrimEnd('\uFFFD');
        }

        ReadOnlySpan<byte> whole = bytes[..CompleteUtf8Length(bytes)];
        try
        {
            return StrictUtf8.GetString(whole);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    // The length without a trailing UTF-8 sequence that lacks its continuation bytes.
    private static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        for (int back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            byte b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }

    /// <summary>Runs of white space and control characters become one space; trimmed; cut at <see cref="MaxCharacters"/> without splitting a surrogate pair.</summary>
    private static string Normalize(string text)
    {
        var result = new StringBuilder(MaxCharacters);
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFEFF')
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                if (result.Length + 1 >= MaxCharacters)
                {
                    break;
                }

                result.Append(' ');
                space = false;
            }

            if (result.Length >= MaxCharacters || (char.IsHighSurrogate(c) && result.Length + 1 >= MaxCharacters))
            {
                break;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}

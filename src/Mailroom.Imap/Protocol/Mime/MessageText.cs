using System.Buffers;
using System.Text;
using MimeKit.Utils;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// The text SEARCH matches in one message (RFC 9051 §6.4.4), decoded once however many keys read it: the message's
/// header fields with encoded words decoded, and the content of its text parts with the transfer encoding and charset
/// removed (not the parts of attached messages). Everything is linear in the message.
/// </summary>
internal sealed class MessageText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A date is some 30 characters; a longer Date field is not one a client could have meant to search by.
    private const int MaxDateLength = 256;

    private readonly Stream _file;
    private readonly BodyPart _message;
    private readonly int _maxAddresses;
    private string?[]? _values;
    private string?[]? _addresses;
    private List<string>? _bodies;

    public MessageText(Stream file, BodyPart message, int maxAddresses = 1000)
    {
        _file = file;
        _message = message;
        _maxAddresses = maxAddresses;
    }

    public IReadOnlyList<HeaderField> Fields => _message.Header.Fields;

    /// <summary>The unfolded value of <see cref="Fields"/>[<paramref name="index"/>] with encoded words decoded.</summary>
    public string Value(int index)
    {
        _values ??= new string?[Fields.Count];
        return _values[index] ??= EncodedWords.Decode(HeaderBlock.Unfold(Fields[index].RawValue));
    }

    /// <summary>
    /// The addresses of <see cref="Fields"/>[<paramref name="index"/>] as parsed for ENVELOPE, each written
    /// <c>Name &lt;mailbox@host&gt;</c> with its name decoded, comma-separated: what an address search (FROM, TO, CC,
    /// BCC) matches besides the field's text, so <c>&lt;user (comment)@ (comment) domain.org&gt;</c> is found as
    /// <c>user@domain.org</c> (Dovecot does the same). At most the ENVELOPE limit of addresses.
    /// </summary>
    public string AddressText(int index)
    {
        _addresses ??= new string?[Fields.Count];
        return _addresses[index] ??= FormatAddresses(
            AddressListParser.Parse(HeaderBlock.Unfold(Fields[index].RawValue), _maxAddresses));
    }

    /// <summary>The decoded text of each text part, in order.</summary>
    public IReadOnlyList<string> Bodies => _bodies ??= DecodeBodies();

    /// <summary>The Date field as a date (RFC 5322 §3.3), or null when there is none or it cannot be read.</summary>
    public DateTimeOffset? SentDate
    {
        get
        {
            string? date = _message.Header.Get("Date");
            return date is { Length: <= MaxDateLength } && DateUtils.TryParse(date, out DateTimeOffset value) && value != DateTimeOffset.MinValue
                ? value
                : null;
        }
    }

    private List<string> DecodeBodies()
    {
        List<string> texts = [];
        Stack<BodyPart> pending = new();
        pending.Push(_message);
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
            else if (part.IsText && part.Message is null)
            {
                texts.Add(Decode(part));
            }
        }

        return texts;
    }

    private string Decode(BodyPart part)
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

        ArrayBufferWriter<byte> bytes = new((int)Math.Clamp(part.End - part.HeadersEnd, 16, 1 << 20));
        using (var reader = new ContentReader(_file, part.HeadersEnd, part.End, encoding))
        {
            while (true)
            {
                int read = reader.Read(bytes.GetSpan(16 * 1024));
                if (read == 0)
                {
                    break;
                }

                bytes.Advance(read);
            }
        }

        // As MimeKit's TextPart.Text: the declared charset when known, else UTF-8, else Latin-1.
        if (CharsetOf(part) is { } charset && Charsets.TryGet(charset, out Encoding? declared))
        {
            return declared.GetString(bytes.WrittenSpan);
        }

        try
        {
            return StrictUtf8.GetString(bytes.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes.WrittenSpan);
        }
    }

    internal static string? CharsetOf(BodyPart part)
    {
        foreach (KeyValuePair<string, string> parameter in RawParameters.Parse(part.Header.Get("Content-Type") ?? string.Empty))
        {
            if (parameter.Key == "charset")
            {
                return parameter.Value;
            }

            if (parameter.Key == "charset*")
            {
                // RFC 2231 §4: charset'language'value; here the value is the charset name itself.
                int quote = parameter.Value.IndexOf('\'', StringComparison.Ordinal);
                return quote < 0 ? parameter.Value : parameter.Value[..quote];
            }
        }

        return null;
    }

    private static string FormatAddresses(List<ImapAddress> addresses)
    {
        var text = new StringBuilder();
        foreach (ImapAddress address in addresses)
        {
            if (address.Host is null)
            {
                // A group's start or end marker: the group's name is a phrase, not an address.
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(", ");
            }

            if (address.Name is { Length: > 0 } name)
            {
                text.Append(EncodedWords.Decode(name)).Append(' ');
            }

            text.Append('<').Append(address.Mailbox).Append('@').Append(address.Host).Append('>');
        }

        return text.ToString();
    }
}

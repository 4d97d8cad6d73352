using System.Text;

namespace Mailroom.Smtp.Cleanup;

/// <summary>What <see cref="BodyPartHeaderMeter"/> needs of a Content-Type field: its multipart boundary, or that it carries a message.</summary>
/// <param name="CarriesMessage">A type whose body starts with a header that MimeKit parses (see <see cref="ContentTypeScanner.CarriesMessage"/>).</param>
/// <param name="Boundary">The boundary of a <c>multipart/*</c> type; null otherwise.</param>
/// <param name="Digest"><c>multipart/digest</c>: a part without Content-Type is <c>message/rfc822</c> (RFC 2046 §5.1.5).</param>
internal readonly record struct ContentType(bool CarriesMessage, string? Boundary, bool Digest = false);

/// <summary>
/// Reads a Content-Type value (RFC 2045 §5.1, unfolded) in one pass: the media type, then the <c>boundary</c> parameter,
/// quoted or not, with comments skipped and RFC 2231 continuations (<c>boundary*0=</c>, <c>boundary*=us-ascii''…</c>)
/// joined, as MimeKit reads them.
/// </summary>
internal static class ContentTypeScanner
{
    public static ContentType Scan(ReadOnlySpan<byte> value)
    {
        var tokens = new Tokens(value);
        string type = tokens.Token().ToLowerInvariant();
        if (!tokens.Skip((byte)'/'))
        {
            return default;
        }

        string mediaType = type + "/" + tokens.Token().ToLowerInvariant();
        if (CarriesMessage(mediaType))
        {
            return new ContentType(CarriesMessage: true, null);
        }

        if (type != "multipart")
        {
            return default;
        }

        string? plain = null;
        List<Section> sections = [];
        while (tokens.Skip((byte)';'))
        {
            string name = tokens.Token().ToLowerInvariant();
            if (!tokens.Skip((byte)'='))
            {
                continue;
            }

            string parameter = tokens.Value();
            if (name == "boundary")
            {
                plain ??= parameter;
            }
            else if (name.StartsWith("boundary*", StringComparison.Ordinal))
            {
                AddSection(sections, name["boundary*".Length..], parameter);
            }
        }

        return new ContentType(false, plain ?? Joined(sections), mediaType == "multipart/digest");
    }

    /// <summary>
    /// The types MimeKit parses as a carried message or header (its <c>MessagePart</c> and <c>TextRfc822Headers</c>):
    /// RFC 2046 §5.2's <c>message/rfc822</c>, <c>message/news</c> and <c>message/external-body</c> (whose body starts
    /// with a header too), RFC 6532's <c>message/global</c> and <c>message/global-headers</c>, RFC 6522's
    /// <c>text/rfc822-headers</c>, and the unregistered <c>message/rfc2822</c>.
    /// </summary>
    internal static bool CarriesMessage(string mediaType) => mediaType is "message/rfc822" or "message/global" or "message/news"
        or "message/external-body" or "message/rfc2822" or "message/global-headers" or "text/rfc822-headers";

    /// <summary>RFC 2231 §3/§4: <c>*N</c> is section N, a trailing <c>*</c> marks it percent-encoded.</summary>
    private static void AddSection(List<Section> sections, string suffix, string value)
    {
        bool encoded = suffix.EndsWith('*') || suffix.Length == 0;
        string number = suffix.TrimEnd('*');
        int index = 0;
        if (number.Length > 0 && !int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index))
        {
            return;
        }

        sections.Add(new Section(index, encoded, value));
    }

    /// <summary>
    /// The sections joined as MimeKit joins them: every section kept, duplicates and gaps included, in the order of
    /// their numbers (sections with one number in the order they came); the first encoded one may start with
    /// <c>charset'language'</c>, which is dropped; encoded ones are percent-decoded.
    /// </summary>
    private static string? Joined(List<Section> sections)
    {
        if (sections.Count == 0)
        {
            return null;
        }

        var joined = new StringBuilder();
        bool firstEncoded = true;
        foreach (Section section in sections.OrderBy(static s => s.Index))
        {
            string value = section.Value;
            if (section.Encoded && firstEncoded)
            {
                firstEncoded = false;
                int charsetEnd = value.IndexOf('\'', StringComparison.Ordinal);
                int languageEnd = charsetEnd > 0 ? value.IndexOf('\'', charsetEnd + 1) : -1;
                value = languageEnd >= 0 ? value[(languageEnd + 1)..] : value;
            }

            joined.Append(section.Encoded ? PercentDecoded(value) : value);
        }

        return joined.ToString();
    }

    private static string PercentDecoded(string value)
    {
        var decoded = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                decoded.Append((char)Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                decoded.Append(value[i]);
            }
        }

        return decoded.ToString();
    }

    private readonly record struct Section(int Index, bool Encoded, string Value);

    /// <summary>RFC 2045 tokens and quoted strings, with white space and (nested) comments between them skipped.</summary>
    private ref struct Tokens(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _at;

        /// <summary>Skips to <paramref name="separator"/> and past it; false at the end of the value.</summary>
        public bool Skip(byte separator)
        {
            SkipBlanks();
            while (_at < _text.Length && _text[_at] != separator && _text[_at] != (byte)';')
            {
                _at++;
                SkipBlanks();
            }

            if (_at < _text.Length && _text[_at] == separator)
            {
                _at++;
                return true;
            }

            return false;
        }

        public string Token()
        {
            SkipBlanks();
            int start = _at;
            while (_at < _text.Length && IsTokenByte(_text[_at]))
            {
                _at++;
            }

            return Encoding.Latin1.GetString(_text[start.._at]);
        }

        public string Value()
        {
            SkipBlanks();
            if (_at >= _text.Length || _text[_at] != (byte)'"')
            {
                return Token();
            }

            var value = new StringBuilder();
            for (_at++; _at < _text.Length && _text[_at] != (byte)'"'; _at++)
            {
                if (_text[_at] == (byte)'\\' && _at + 1 < _text.Length)
                {
                    _at++;
                }

                value.Append((char)_text[_at]);
            }

            _at = Math.Min(_at + 1, _text.Length);
            return value.ToString();
        }

        private void SkipBlanks()
        {
            int depth = 0;
            while (_at < _text.Length)
            {
                byte b = _text[_at];
                if (depth > 0 && b == (byte)'\\')
                {
                    // A quoted pair in a comment (RFC 5322 §3.2.1); a backslash that ends the value quotes nothing.
                    _at = Math.Min(_at + 2, _text.Length);
                    continue;
                }

                if (b == (byte)'(')
                {
                    depth++;
                }
                else if (b == (byte)')' && depth > 0)
                {
                    depth--;
                }
                else if (depth == 0 && b is not ((byte)' ' or (byte)'\t'))
                {
                    return;
                }

                _at++;
            }
        }

        // RFC 2045 §5.1: any CHAR except SPACE, CTLs and tspecials; RFC 2231's '*' is a token byte too.
        private static bool IsTokenByte(byte b) => b is > 32 and < 127 && "()<>@,;:\\\"/[]?=".IndexOf((char)b) < 0;
    }
}

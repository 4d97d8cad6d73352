using System.Text;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// Decodes RFC 2047 encoded words (<c>=?charset?B|Q?text?=</c>) in an unfolded header value, for SEARCH. Linear: the
/// ends of words ("?=") are found by one forward scan shared by all candidates, and a word cannot span a blank, so a
/// value full of unterminated "=?" costs no more than one without (MimeKit's decoder rescans from each one). Words may
/// be adjacent or separated by blanks, which are then dropped (§6.2); anything that is not a valid word stays as it is.
/// </summary>
internal static class EncodedWords
{
    // RFC 2047 §2 keeps a whole word within 75 characters; real charset names are far shorter than this.
    private const int MaxCharsetLength = 64;

    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        StringBuilder output = new(value.Length);
        var terminators = new TerminatorIndex(value);
        bool previousWasWord = false;
        int pendingBlanks = -1;
        int tokenEnd = 0;
        int i = 0;
        while (i < value.Length)
        {
            if (value[i] is ' ' or '\t')
            {
                pendingBlanks = pendingBlanks < 0 ? i : pendingBlanks;
                i++;
                continue;
            }

            if (i >= tokenEnd)
            {
                int blank = value.AsSpan(i).IndexOfAny(' ', '\t');
                tokenEnd = blank < 0 ? value.Length : i + blank;
            }

            int wordEnd = 0;
            string decoded = string.Empty;
            bool isWord = value[i] == '=' && TryDecodeWord(value, i, tokenEnd, terminators, out wordEnd, out decoded);
            if (pendingBlanks >= 0 && !(isWord && previousWasWord))
            {
                output.Append(value, pendingBlanks, i - pendingBlanks);
            }

            pendingBlanks = -1;
            if (isWord)
            {
                output.Append(decoded);
                i = wordEnd;
                previousWasWord = true;
                continue;
            }

            output.Append(value[i]);
            i++;
            previousWasWord = false;
        }

        if (pendingBlanks >= 0)
        {
            output.Append(value, pendingBlanks, value.Length - pendingBlanks);
        }

        return output.ToString();
    }

    private static bool TryDecodeWord(string value, int start, int tokenEnd, TerminatorIndex terminators, out int end, out string decoded)
    {
        end = start;
        decoded = string.Empty;
        if (start + 1 >= value.Length || value[start + 1] != '?')
        {
            return false;
        }

        int charsetStart = start + 2;
        int charsetEnd = charsetStart;
        while (charsetEnd < tokenEnd && charsetEnd - charsetStart <= MaxCharsetLength && value[charsetEnd] != '?')
        {
            charsetEnd++;
        }

        if (charsetEnd == charsetStart || charsetEnd + 2 >= tokenEnd || value[charsetEnd] != '?' || value[charsetEnd + 2] != '?')
        {
            return false;
        }

        char encoding = char.ToUpperInvariant(value[charsetEnd + 1]);
        int textStart = charsetEnd + 3;
        int textEnd = terminators.FirstAtOrAfter(textStart, start);
        if (encoding is not ('B' or 'Q') || textEnd < 0 || textEnd + 2 > tokenEnd)
        {
            return false;
        }

        // RFC 2231 §5: a language may follow the charset after "*".
        string charset = value[charsetStart..charsetEnd];
        int star = charset.IndexOf('*', StringComparison.Ordinal);
        if (!Charsets.TryGet(star < 0 ? charset : charset[..star], out Encoding? text))
        {
            return false;
        }

        ReadOnlySpan<char> payload = value.AsSpan(textStart, textEnd - textStart);
        byte[]? bytes = encoding == 'B' ? DecodeBase64(payload) : DecodeQ(payload);
        if (bytes is null)
        {
            return false;
        }

        decoded = text.GetString(bytes);
        end = textEnd + 2;
        return true;
    }

    private static byte[]? DecodeBase64(ReadOnlySpan<char> payload)
    {
        byte[] bytes = new byte[(payload.Length * 3 / 4) + 3];
        return Convert.TryFromBase64Chars(payload, bytes, out int written) ? bytes[..written] : null;
    }

    // RFC 2047 §4.2: "_" is a space, "=XX" a byte in hex, anything else itself.
    private static byte[]? DecodeQ(ReadOnlySpan<char> payload)
    {
        byte[] bytes = new byte[payload.Length];
        int length = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                bytes[length++] = (byte)' ';
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1]) && char.IsAsciiHexDigit(payload[i + 2]))
            {
                bytes[length++] = (byte)((HexValue(payload[i + 1]) << 4) | HexValue(payload[i + 2]));
                i += 2;
            }
            else if (c > '\x7f')
            {
                return null;
            }
            else
            {
                bytes[length++] = (byte)c;
            }
        }

        return bytes[..length];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// The positions of "?=" in a value, found by a scan that only moves forward. Queries come from candidates in
    /// increasing order, each asking at most a charset name's length past its own start, so positions before the
    /// current candidate are dropped and the few between it and the query are skipped.
    /// </summary>
    private sealed class TerminatorIndex(string value)
    {
        private readonly List<int> _found = [];
        private int _head;
        private int _scanned;

        /// <summary>The first "?=" at or after <paramref name="from"/>, or -1; <paramref name="floor"/> is the candidate's start.</summary>
        public int FirstAtOrAfter(int from, int floor)
        {
            while (_head < _found.Count && _found[_head] < floor)
            {
                _head++;
            }

            if (_head > 1024 && _head * 2 > _found.Count)
            {
                _found.RemoveRange(0, _head);
                _head = 0;
            }

            for (int i = _head; i < _found.Count; i++)
            {
                if (_found[i] >= from)
                {
                    return _found[i];
                }
            }

            while (_scanned < value.Length - 1)
            {
                int next = value.IndexOf("?=", _scanned, StringComparison.Ordinal);
                if (next < 0)
                {
                    _scanned = value.Length;
                    break;
                }

                _found.Add(next);
                _scanned = next + 1;
                if (next >= from)
                {
                    return next;
                }
            }

            return -1;
        }
    }
}

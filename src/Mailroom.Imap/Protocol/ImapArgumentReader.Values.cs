using System.Text;

namespace Mailroom.Imap.Protocol;

internal sealed partial class ImapArgumentReader
{
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>
    /// mailbox = "INBOX" / astring. Without UTF8=ACCEPT the name is modified UTF-7 (RFC 3501 §5.1.3) and is decoded;
    /// with it the name is UTF-8 as sent (RFC 9051 §5.1, RFC 6855 §3). INBOX is case-insensitive (RFC 9051 §5.1).
    /// </summary>
    public string ReadMailboxName(bool utf8Enabled)
    {
        string name = ReadAString();
        if (!utf8Enabled)
        {
            if (!ModifiedUtf7.TryDecode(name, out string decoded))
            {
                // Valid astring syntax, so not a BAD: no mailbox can have this name (Dovecot answers NO too).
                throw new ImapRefusalException("Mailbox name is not valid modified UTF-7.", "CANNOT");
            }

            name = decoded;
        }

        return CanonicalizeInbox(name);
    }

    /// <summary>list-mailbox = 1*list-char / string (RFC 9051 §9), as sent (wildcards kept, not decoded).</summary>
    public string ReadListMailbox()
    {
        if (!AtEnd && Span[_position] is (byte)'"' or (byte)'{')
        {
            return DecodeUtf8(ReadStringBytes(allowBinary: false, out _).Span);
        }

        int start = _position;
        while (!AtEnd && IsListChar(Span[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw new ImapParseException(AtEnd ? "Missing argument" : "Invalid characters in mailbox pattern");
        }

        return Encoding.ASCII.GetString(Span[start.._position]);
    }

    /// <summary>
    /// list-mailbox decoded like <see cref="ReadMailboxName"/>: modified UTF-7 is decoded when valid (a pattern that
    /// is not valid mUTF-7 is kept as sent, since wildcards may split an encoded run).
    /// </summary>
    public string ReadListMailbox(bool utf8Enabled)
    {
        string pattern = ReadListMailbox();
        if (!utf8Enabled && ModifiedUtf7.TryDecode(pattern, out string decoded))
        {
            pattern = decoded;
        }

        return pattern;
    }

    /// <summary>sequence-set (RFC 9051 §9), including "*" and "$".</summary>
    public SequenceSet ReadSequenceSet()
    {
        string text = ReadWhile(static b => b is (>= (byte)'0' and <= (byte)'9') or (byte)':' or (byte)',' or (byte)'*' or (byte)'$');
        if (text.Length == 0 || !SequenceSet.TryParse(text, out SequenceSet set))
        {
            throw new ImapParseException("Invalid sequence set");
        }

        if (!AtEnd && Span[_position] is not ((byte)' ' or (byte)')'))
        {
            throw new ImapParseException("Invalid sequence set");
        }

        return set;
    }

    /// <summary>
    /// "(" [flag *(SP flag)] ")" where flag is an atom optionally preceded by "\" (flag-list, RFC 9051 §9).
    /// </summary>
    public List<string> ReadParenthesizedAtoms()
    {
        ReadChar('(');
        List<string> items = [];
        if (PeekChar(')'))
        {
            _position++;
            return items;
        }

        while (true)
        {
            bool system = PeekChar('\\');
            if (system)
            {
                _position++;
            }

            string atom = ReadAtom();
            items.Add(system ? "\\" + atom : atom);
            if (PeekChar(')'))
            {
                _position++;
                return items;
            }

            ReadSpace();
        }
    }

    /// <summary>number = 1*DIGIT, unsigned 32-bit (RFC 9051 §9).</summary>
    public long ReadNumber()
    {
        ulong value = ReadDigits(uint.MaxValue, "Number out of range");
        return (long)value;
    }

    /// <summary>number64 = 1*DIGIT, unsigned 63-bit (RFC 9051 §9; RFC 7162 mod-sequence-value).</summary>
    public ulong ReadNumber64() => ReadDigits(long.MaxValue, "Number out of range");

    /// <summary>
    /// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (RFC 9051 §9),
    /// e.g. "17-Jul-1996 02:44:25 -0700"; date-day-fixed is " 7" or "07".
    /// </summary>
    public DateTimeOffset ReadDateTime()
    {
        if (!PeekChar('"'))
        {
            throw new ImapParseException("Expected a quoted date-time");
        }

        string text = Encoding.ASCII.GetString(ReadQuoted().Span);
        if (text.Length != 26 || text[2] != '-' || text[6] != '-' || text[11] != ' ' || text[14] != ':' || text[17] != ':'
            || text[20] != ' ' || text[21] is not ('+' or '-'))
        {
            throw new ImapParseException("Invalid date-time");
        }

        int day = text[0] == ' ' ? ParseFixed(text.AsSpan(1, 1)) : ParseFixed(text.AsSpan(0, 2));
        int month = ParseMonth(text.AsSpan(3, 3));
        int year = ParseFixed(text.AsSpan(7, 4));
        int hour = ParseFixed(text.AsSpan(12, 2));
        int minute = ParseFixed(text.AsSpan(15, 2));
        int second = ParseFixed(text.AsSpan(18, 2));
        int zoneHours = ParseFixed(text.AsSpan(22, 2));
        int zoneMinutes = ParseFixed(text.AsSpan(24, 2));
        if (hour > 23 || minute > 59 || second > 60 || zoneHours > 14 || zoneMinutes > 59 || year < 1
            || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw new ImapParseException("Invalid date-time");
        }

        TimeSpan offset = new(zoneHours, zoneMinutes, 0);
        if (offset > TimeSpan.FromHours(14))
        {
            throw new ImapParseException("Invalid date-time");
        }

        try
        {
            // A leap second (60) is kept within its minute.
            return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), text[21] == '-' ? -offset : offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            // The instant falls outside DateTimeOffset's range once the zone is applied (year 1 or 9999).
            throw new ImapParseException("Invalid date-time");
        }
    }

    /// <summary>date = date-text / DQUOTE date-text DQUOTE; date-text = 1*2DIGIT "-" date-month "-" 4DIGIT.</summary>
    public DateOnly ReadDate()
    {
        string text = PeekChar('"')
            ? Encoding.ASCII.GetString(ReadQuoted().Span)
            : ReadWhile(static b => IsAtomChar(b));
        int firstDash = text.IndexOf('-', StringComparison.Ordinal);
        if (firstDash is < 1 or > 2 || text.Length != firstDash + 9 || text[firstDash + 4] != '-')
        {
            throw new ImapParseException("Invalid date");
        }

        int day = ParseFixed(text.AsSpan(0, firstDash));
        int month = ParseMonth(text.AsSpan(firstDash + 1, 3));
        int year = ParseFixed(text.AsSpan(firstDash + 5, 4));
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw new ImapParseException("Invalid date");
        }

        return new DateOnly(year, month, day);
    }

    internal static string CanonicalizeInbox(string name) =>
        name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : name;

    private static int ParseFixed(ReadOnlySpan<char> digits)
    {
        int value = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                throw new ImapParseException("Invalid date");
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static int ParseMonth(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < MonthNames.Length; i++)
        {
            if (name.Equals(MonthNames[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        throw new ImapParseException("Invalid month in date");
    }

    private ulong ReadDigits(ulong max, string rangeMessage)
    {
        int start = _position;
        ulong value = 0;
        while (!AtEnd && Span[_position] is >= (byte)'0' and <= (byte)'9')
        {
            ulong digit = (ulong)(Span[_position] - '0');
            if (value > (max - digit) / 10)
            {
                throw new ImapParseException(rangeMessage);
            }

            value = (value * 10) + digit;
            _position++;
        }

        if (_position == start)
        {
            throw new ImapParseException(AtEnd ? "Missing number" : "Expected a number");
        }

        return value;
    }
}

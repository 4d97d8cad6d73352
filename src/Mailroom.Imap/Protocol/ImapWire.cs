using System.Buffers;
using System.Globalization;
using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Protocol;

/// <summary>Writers for the string forms of RFC 9051 §4.3 and the common response pieces.</summary>
internal static class ImapWire
{
    // Longer strings go as literals: quoted strings that long are unusual and some clients cap them.
    private const int MaxQuotedLength = 1024;

    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>astring: an atom when every character allows it (and it is not NIL), else quoted, else a literal.</summary>
    public static void WriteAString(IBufferWriter<byte> output, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsAtom(value))
        {
            WriteAscii(output, value);
            return;
        }

        WriteQuotedOrLiteral(output, value);
    }

    /// <summary>nstring: NIL for null, a quoted string when it can be one (ASCII TEXT-CHARs), else a literal.</summary>
    public static void WriteQuotedOrLiteral(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteAscii(output, "NIL");
            return;
        }

        if (CanQuote(value))
        {
            WriteQuoted(output, value);
            return;
        }

        WriteLiteral(output, Encoding.UTF8.GetBytes(value));
    }

    public static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteAscii(output, "{" + value.Length.ToString(CultureInfo.InvariantCulture) + "}\r\n");
        Write(output, value);
    }

    /// <summary>
    /// A mailbox name: modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is enabled (RFC 9051 §5.1); then a quoted
    /// string may carry UTF-8 (RFC 6855 §3, RFC 9051 §9 QUOTED-CHAR), as clients expect names to come.
    /// </summary>
    public static void WriteMailboxName(IBufferWriter<byte> output, string name, bool utf8Enabled)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (utf8Enabled && !IsAtom(name) && CanQuote(name, allowUtf8: true))
        {
            WriteQuoted(output, name);
            return;
        }

        WriteAString(output, utf8Enabled ? name : ModifiedUtf7.Encode(name));
    }

    /// <summary>flag-list: "(\Seen \Answered ... keyword...)".</summary>
    public static void WriteFlags(IBufferWriter<byte> output, MessageFlags flags, IReadOnlyList<string> keywords, bool recent)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        StringBuilder text = new("(");
        AppendFlag(text, flags, MessageFlags.Seen, "\\Seen");
        AppendFlag(text, flags, MessageFlags.Answered, "\\Answered");
        AppendFlag(text, flags, MessageFlags.Flagged, "\\Flagged");
        AppendFlag(text, flags, MessageFlags.Deleted, "\\Deleted");
        AppendFlag(text, flags, MessageFlags.Draft, "\\Draft");
        if (recent)
        {
            AppendSeparated(text, "\\Recent");
        }

        foreach (string keyword in keywords)
        {
            AppendSeparated(text, keyword);
        }

        text.Append(')');
        WriteAscii(output, text.ToString());
    }

    /// <summary>date-time (RFC 9051 §9), "17-Jul-1996 02:44:25 -0700", in the date's own offset.</summary>
    public static string FormatInternalDate(DateTimeOffset date)
    {
        TimeSpan offset = date.Offset;
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{date.Day:00}-{MonthNames[date.Month - 1]}-{date.Year:0000} {date.Hour:00}:{date.Minute:00}:{date.Second:00} {sign}{offset.Hours:00}{offset.Minutes:00}");
    }

    internal static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(text.Length);
        int written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    internal static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(bytes);
    }

    internal static bool IsAtom(string value)
    {
        if (value.Length == 0 || value.Equals("NIL", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c > 0x7F || !ImapArgumentReader.IsAtomChar((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    // TEXT-CHAR excludes CR, LF and NUL (RFC 9051 §4.3); 8-bit text in a quoted string needs UTF8=ACCEPT, so it
    // always goes as a literal, which every client accepts.
    private static bool CanQuote(string value, bool allowUtf8 = false)
    {
        if (value.Length > MaxQuotedLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is < ' ' and not '\t' or '\u007f' || (c > '~' && !allowUtf8))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteQuoted(IBufferWriter<byte> output, string value)
    {
        StringBuilder text = new(value.Length + 2);
        text.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
        Encoding.UTF8.GetBytes(text.ToString(), output);
    }

    private static void AppendFlag(StringBuilder text, MessageFlags flags, MessageFlags flag, string name)
    {
        if ((flags & flag) != 0)
        {
            AppendSeparated(text, name);
        }
    }

    private static void AppendSeparated(StringBuilder text, string item)
    {
        if (text.Length > 1)
        {
            text.Append(' ');
        }

        text.Append(item);
    }
}

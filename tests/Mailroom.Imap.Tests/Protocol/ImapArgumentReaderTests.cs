using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class ImapArgumentReaderTests
{
    private static ImapArgumentReader After(string wire, out string tag, out string command)
    {
        ImapArgumentReader reader = ProtocolWire.Reader(wire);
        tag = reader.ReadTag();
        reader.ReadSpace();
        command = reader.ReadAtom();
        return reader;
    }

    [Fact]
    public void TagAndCommandAreRead()
    {
        ImapArgumentReader reader = After("a.1-x] noop", out string tag, out string command);
        Assert.Equal("a.1-x]", tag);
        Assert.Equal("noop", command);
        reader.ReadEnd();
    }

    [Theory]
    [InlineData("+1 NOOP")]
    [InlineData(" NOOP")]
    [InlineData("(x NOOP")]
    [InlineData("")]
    public void InvalidTagIsBad(string wire)
    {
        ImapArgumentReader reader = ProtocolWire.Reader(wire);
        Assert.Throws<ImapParseException>(() => reader.ReadTag());
    }

    [Fact]
    public void QuotedStringUnescapesQuoteAndBackslash()
    {
        ImapArgumentReader reader = After("A1 LOGIN \"a\\\"b\\\\c\" \"\"", out _, out _);
        reader.ReadSpace();
        Assert.Equal("a\"b\\c", reader.ReadAString());
        reader.ReadSpace();
        Assert.Equal(string.Empty, reader.ReadAString());
        reader.ReadEnd();
    }

    [Theory]
    [InlineData("A1 LOGIN \"abc")]
    [InlineData("A1 LOGIN \"abc\\")]
    [InlineData("A1 LOGIN \"a\\bc\"")]
    public void UnterminatedOrBadlyEscapedQuotedStringIsBad(string wire)
    {
        ImapArgumentReader reader = After(wire, out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadAString());
    }

    [Fact]
    public void QuotedStringCannotRunIntoTheNextLine()
    {
        ImapArgumentReader reader = After("A1 LOGIN \"ab {1}\r\nx\r\n\"", out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadAString());
    }

    [Fact]
    public void SynchronisingAndNonSynchronisingLiteralsAreRead()
    {
        ImapArgumentReader reader = After("A1 LOGIN {5}\r\nal ce {7+}\r\nse\"cr\r\n", out _, out _);
        reader.ReadSpace();
        Assert.Equal("al ce", reader.ReadAString());
        reader.ReadSpace();
        Assert.Equal("se\"cr\r\n", reader.ReadAString());
        reader.ReadEnd();
    }

    [Fact]
    public void EmptyLiteralIsAnEmptyString()
    {
        ImapArgumentReader reader = After("A1 LOGIN {0}\r\n {0}\r\n", out _, out _);
        reader.ReadSpace();
        Assert.Equal(string.Empty, reader.ReadAString());
        reader.ReadSpace();
        Assert.Equal(string.Empty, reader.ReadAString());
        reader.ReadEnd();
    }

    [Fact]
    public void LiteralMarkerInsideALineIsNotALiteral()
    {
        ImapArgumentReader reader = After("A1 LOGIN {3}abc def", out _, out _);
        reader.ReadSpace();
        ImapParseException error = Assert.Throws<ImapParseException>(() => reader.ReadAString());
        Assert.Contains("end the line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BracesInsideQuotedTextAreText()
    {
        ImapArgumentReader reader = After("A1 LOGIN \"{5}\" x", out _, out _);
        reader.ReadSpace();
        Assert.Equal("{5}", reader.ReadAString());
        reader.ReadSpace();
        Assert.Equal("x", reader.ReadAString());
    }

    [Fact]
    public void LiteralWithoutItsDataIsBad()
    {
        ImapCommandBuffer buffer = new();
        buffer.AppendLine("A1 LOGIN {5}"u8);
        ImapArgumentReader reader = new(buffer);
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadAString());
    }

    [Fact]
    public void NulInALiteralIsBadButAllowedInABinaryLiteral()
    {
        ImapArgumentReader reader = After("A1 LOGIN {3}\r\na\0b", out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadAString());

        ImapArgumentReader append = After("A1 APPEND INBOX ~{3}\r\na\0b", out _, out _);
        append.ReadSpace();
        append.ReadAtom();
        append.ReadSpace();
        using Stream data = append.ReadMessage(out bool binary);
        Assert.True(binary);
        var copy = new MemoryStream();
        data.CopyTo(copy);
        Assert.Equal("a\0b"u8.ToArray(), copy.ToArray());
        append.ReadEnd();
    }

    [Fact]
    public void BinaryLiteralIsNotAnAString()
    {
        // "~" alone is a valid atom, so the literal marker after it is what makes the command BAD.
        ImapArgumentReader reader = After("A1 LOGIN ~{1}\r\na", out _, out _);
        reader.ReadSpace();
        Assert.Equal("~", reader.ReadAString());
        Assert.Throws<ImapParseException>(() => reader.ReadEnd());
    }

    [Theory]
    [InlineData("A1 LOGIN a\u00e9b")]
    [InlineData("A1 LOGIN a\u0001b")]
    [InlineData("A1 LOGIN a\u007fb")]
    public void EightBitAndControlCharactersAreNotAtomChars(string wire)
    {
        ImapArgumentReader reader = After(wire, out _, out _);
        reader.ReadSpace();
        reader.ReadAString();
        Assert.Throws<ImapParseException>(() => reader.ReadEnd());
    }

    [Fact]
    public void NulInAnAtomIsBad()
    {
        ImapArgumentReader reader = ProtocolWire.Reader("A1 NO\0OP");
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        Assert.Throws<ImapParseException>(() => reader.ReadEnd());
    }

    [Fact]
    public void InvalidUtf8InALiteralIsBad()
    {
        byte[] wire = [.. "A1 LOGIN {2}\r\n"u8, 0xC3, 0x28];
        ImapArgumentReader reader = new(ProtocolWire.Command(wire));
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadAString());
    }

    [Fact]
    public void Utf8QuotedStringIsAccepted()
    {
        ImapArgumentReader reader = After("A1 SELECT \"Bo\u00eete\"", out _, out _);
        reader.ReadSpace();
        Assert.Equal("Bo\u00eete", reader.ReadMailboxName(utf8Enabled: true));
    }

    [Fact]
    public void NStringDistinguishesNilFromTheStringNil()
    {
        ImapArgumentReader reader = After("A1 X nil \"NIL\" NILS", out _, out _);
        reader.ReadSpace();
        Assert.Null(reader.ReadNString());
        reader.ReadSpace();
        Assert.Equal("NIL", reader.ReadNString());
        reader.ReadSpace();
        Assert.Equal("NILS", reader.ReadNString());
    }

    [Theory]
    [InlineData("inbox", false, "INBOX")]
    [InlineData("InBoX", true, "INBOX")]
    [InlineData("&ZeVnLIqe-", false, "\u65e5\u672c\u8a9e")]
    [InlineData("&ZeVnLIqe-", true, "&ZeVnLIqe-")]
    [InlineData("\"a&-b\"", false, "a&b")]
    public void MailboxNamesAreDecodedAndInboxCanonicalised(string argument, bool utf8, string expected)
    {
        ImapArgumentReader reader = After("A1 SELECT " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Equal(expected, reader.ReadMailboxName(utf8));
    }

    [Fact]
    public void InvalidModifiedUtf7MailboxIsRefusedNotBad()
    {
        // Valid astring syntax, so not a BAD (imaptest's atoms script expects NO, as Dovecot answers).
        ImapArgumentReader reader = After("A1 SELECT &Jjo", out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapRefusalException>(() => reader.ReadMailboxName(utf8Enabled: false));
    }

    [Fact]
    public void ListMailboxKeepsWildcards()
    {
        ImapArgumentReader reader = After("A1 LIST \"\" %/*]x", out _, out _);
        reader.ReadSpace();
        Assert.Equal(string.Empty, reader.ReadListMailbox());
        reader.ReadSpace();
        Assert.Equal("%/*]x", reader.ReadListMailbox());
        reader.ReadEnd();
    }

    [Fact]
    public void FlagListIsRead()
    {
        ImapArgumentReader reader = After("A1 STORE (\\Seen $Forwarded \\Answered) ()", out _, out _);
        reader.ReadSpace();
        Assert.Equal(["\\Seen", "$Forwarded", "\\Answered"], reader.ReadParenthesizedAtoms());
        reader.ReadSpace();
        Assert.Empty(reader.ReadParenthesizedAtoms());
    }

    [Theory]
    [InlineData("(\\Seen")]
    [InlineData("(a  b)")]
    [InlineData("(\"a\")")]
    [InlineData("\\Seen")]
    public void MalformedFlagListIsBad(string argument)
    {
        ImapArgumentReader reader = After("A1 STORE " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadParenthesizedAtoms());
    }

    [Fact]
    public void NumbersAreBoundedTo32And63Bits()
    {
        ImapArgumentReader reader = After("A1 X 4294967295 4294967296 9223372036854775807 9223372036854775808", out _, out _);
        reader.ReadSpace();
        Assert.Equal(4294967295L, reader.ReadNumber());
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadNumber());

        ImapArgumentReader big = After("A1 X 9223372036854775807 9223372036854775808", out _, out _);
        big.ReadSpace();
        Assert.Equal(9223372036854775807UL, big.ReadNumber64());
        big.ReadSpace();
        Assert.Throws<ImapParseException>(() => big.ReadNumber64());
    }

    [Theory]
    [InlineData("\"17-Jul-1996 02:44:25 -0700\"", "1996-07-17T02:44:25-07:00")]
    [InlineData("\" 7-Jul-1996 02:44:25 +0130\"", "1996-07-07T02:44:25+01:30")]
    [InlineData("\"01-jan-2024 00:00:00 +0000\"", "2024-01-01T00:00:00+00:00")]
    public void DateTimeIsParsed(string argument, string expected)
    {
        ImapArgumentReader reader = After("A1 APPEND " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), reader.ReadDateTime());
    }

    [Theory]
    [InlineData("17-Jul-1996 02:44:25 -0700")]
    [InlineData("\"7-Jul-1996 02:44:25 -0700\"")]
    [InlineData("\"31-Feb-1996 02:44:25 -0700\"")]
    [InlineData("\"17-Jux-1996 02:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 24:44:25 -0700\"")]
    [InlineData("\"17-Jul-1996 02:44:25 0700\"")]
    [InlineData("\"17-Jul-1996 02:44:25 +1459\"")]
    [InlineData("\"31-Dec-9999 23:00:00 -1400\"")]
    [InlineData("\"01-Jan-0001 00:00:00 +1400\"")]
    public void InvalidDateTimeIsBad(string argument)
    {
        ImapArgumentReader reader = After("A1 APPEND " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadDateTime());
    }

    [Theory]
    [InlineData("1-Feb-1994", 1994, 2, 1)]
    [InlineData("\"01-Feb-1994\"", 1994, 2, 1)]
    [InlineData("29-feb-2024", 2024, 2, 29)]
    public void SearchDateIsParsed(string argument, int year, int month, int day)
    {
        ImapArgumentReader reader = After("A1 SEARCH " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Equal(new DateOnly(year, month, day), reader.ReadDate());
    }

    [Theory]
    [InlineData("29-Feb-2023")]
    [InlineData("001-Feb-1994")]
    [InlineData("1-Feb-94")]
    [InlineData("1994-02-01")]
    public void InvalidSearchDateIsBad(string argument)
    {
        ImapArgumentReader reader = After("A1 SEARCH " + argument, out _, out _);
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadDate());
    }

    [Fact]
    public void ReadingPastTheEndIsBadNotAnException()
    {
        ImapArgumentReader reader = After("A1 X", out _, out _);
        Assert.Throws<ImapParseException>(() => reader.ReadSpace());
        Assert.Throws<ImapParseException>(() => reader.ReadAString());
        Assert.Throws<ImapParseException>(() => reader.ReadAtom());
        Assert.Throws<ImapParseException>(() => reader.ReadNumber());
        Assert.Throws<ImapParseException>(() => reader.ReadSequenceSet());
        Assert.Throws<ImapParseException>(() => reader.ReadDate());
        Assert.Throws<ImapParseException>(() => reader.ReadDateTime());
        Assert.Throws<ImapParseException>(() => reader.ReadMessage(out _));
        Assert.Throws<ImapParseException>(() => reader.ReadParenthesizedAtoms());
        Assert.Throws<ImapParseException>(() => reader.ReadListMailbox());
        Assert.Throws<ImapParseException>(() => reader.ReadChar(')'));
    }

    [Fact]
    public void EveryPrefixOfACommandFailsOnlyWithParseErrors()
    {
        const string wire = "A1 APPEND \"Sent &AOk-\" (\\Seen kw) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello";
        for (int length = 0; length <= wire.Length; length++)
        {
            ImapArgumentReader reader = new(ProtocolWire.Command(Encoding.UTF8.GetBytes(wire[..length])));
            try
            {
                reader.ReadTag();
                reader.ReadSpace();
                reader.ReadAtom();
                reader.ReadSpace();
                reader.ReadMailboxName(utf8Enabled: false);
                reader.ReadSpace();
                reader.ReadParenthesizedAtoms();
                reader.ReadSpace();
                reader.ReadDateTime();
                reader.ReadSpace();
                reader.ReadMessage(out _).Dispose();
                reader.ReadEnd();
                Assert.Equal(wire.Length, length);
            }
            catch (ImapParseException)
            {
                Assert.True(length < wire.Length);
            }
        }
    }
}

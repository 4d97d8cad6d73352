using System.Buffers;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class ImapWireTests
{
    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        ArrayBufferWriter<byte> output = new();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("", "\"\"")]
    [InlineData("NIL", "\"NIL\"")]
    [InlineData("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"")]
    [InlineData("caf\u00e9", "{5}\r\ncaf\u00e9")]
    [InlineData("a\r\nb", "{4}\r\na\r\nb")]
    [InlineData("x]", "\"x]\"")]
    public void AStringUsesTheSimplestSafeForm(string value, string expected)
    {
        Assert.Equal(expected, Written(o => ImapWire.WriteAString(o, value)));
    }

    [Fact]
    public void NullIsNil()
    {
        Assert.Equal("NIL", Written(o => ImapWire.WriteQuotedOrLiteral(o, null)));
    }

    [Fact]
    public void LongStringsAreLiterals()
    {
        string value = new('a', 2000);
        Assert.StartsWith("{2000}\r\n", Written(o => ImapWire.WriteQuotedOrLiteral(o, value)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Entw\u00fcrfe", false, "Entw&APw-rfe")]
    [InlineData("Entw\u00fcrfe", true, "\"Entw\u00fcrfe\"")]
    [InlineData("Entw\u00fcrfe \"neu\"", true, "\"Entw\u00fcrfe \\\"neu\\\"\"")]
    [InlineData("Entw\u00fcrfe\u007f", true, "{10}\r\nEntw\u00fcrfe\u007f")]
    [InlineData("A & B", false, "\"A &- B\"")]
    public void MailboxNamesAreModifiedUtf7UnlessUtf8IsEnabled(string name, bool utf8, string expected)
    {
        Assert.Equal(expected, Written(o => ImapWire.WriteMailboxName(o, name, utf8)));
    }

    [Fact]
    public void FlagsListSystemFlagsRecentThenKeywords()
    {
        string text = Written(o => ImapWire.WriteFlags(o, MessageFlags.Seen | MessageFlags.Deleted | MessageFlags.Draft, ["$Forwarded", "Work"], recent: true));
        Assert.Equal("(\\Seen \\Deleted \\Draft \\Recent $Forwarded Work)", text);
        Assert.Equal("()", Written(o => ImapWire.WriteFlags(o, MessageFlags.None, [], recent: false)));
    }

    [Theory]
    [InlineData("1996-07-17T02:44:25-07:00", "17-Jul-1996 02:44:25 -0700")]
    [InlineData("2024-01-05T23:00:09+05:30", "05-Jan-2024 23:00:09 +0530")]
    [InlineData("2024-12-31T00:00:00+00:00", "31-Dec-2024 00:00:00 +0000")]
    public void InternalDateIsFormattedInItsOffset(string date, string expected)
    {
        Assert.Equal(expected, ImapWire.FormatInternalDate(DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void FormattedInternalDateParsesBack()
    {
        DateTimeOffset date = new(2025, 3, 9, 8, 7, 6, TimeSpan.FromHours(-4));
        ImapArgumentReader reader = ProtocolWire.Reader("\"" + ImapWire.FormatInternalDate(date) + "\"");
        Assert.Equal(date, reader.ReadDateTime());
    }
}

using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class ImapCommandBufferTests
{
    [Theory]
    [InlineData("A1 LOGIN {5}", 5, false, false)]
    [InlineData("A1 LOGIN {5+}", 5, true, false)]
    [InlineData("A1 APPEND INBOX ~{12}", 12, false, true)]
    [InlineData("A1 APPEND INBOX ~{0+}", 0, true, true)]
    public void LiteralMarkersAreRecognised(string line, long size, bool nonSync, bool binary)
    {
        Assert.True(ImapCommandBuffer.TryGetLiteralMarker(Encoding.ASCII.GetBytes(line), out long n, out bool ns, out bool b));
        Assert.Equal((size, nonSync, binary), (n, ns, b));
    }

    [Theory]
    [InlineData("A1 NOOP")]
    [InlineData("A1 LOGIN {}")]
    [InlineData("A1 LOGIN {5")]
    [InlineData("A1 LOGIN {x5}")]
    [InlineData("}")]
    [InlineData("A1 LOGIN \"{5}")]
    [InlineData("A1 LOGIN \"a\\\" {5}")]
    public void TextThatIsNotAMarkerIsNotALiteral(string line)
    {
        Assert.False(ImapCommandBuffer.TryGetLiteralMarker(Encoding.ASCII.GetBytes(line), out _, out _, out _));
    }

    [Fact]
    public void MarkerAfterAClosedQuotedStringIsALiteral()
    {
        Assert.True(ImapCommandBuffer.TryGetLiteralMarker("A1 LOGIN \"{3}\" {5}"u8, out long size, out _, out _));
        Assert.Equal(5, size);
    }

    [Fact]
    public void HugeAnnouncedLiteralIsReportedWithoutAllocating()
    {
        byte[] line = Encoding.ASCII.GetBytes("A1 APPEND INBOX {99999999999999999999999999999}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool found = ImapCommandBuffer.TryGetLiteralMarker(line, out long size, out _, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(found);
        Assert.Equal(long.MaxValue, size);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("9223372036854775806", 9223372036854775806)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("18446744073709551615", long.MaxValue)]
    [InlineData("18446744073709551616", long.MaxValue)]
    [InlineData("9999999999999999999", long.MaxValue)]
    [InlineData("99999999999999999999", long.MaxValue)]
    [InlineData("999999999999999999999999999999", long.MaxValue)]
    [InlineData("000000000000000000000000000042", 42)]
    public void SizesBeyondSixtyThreeBitsSaturateInsteadOfWrapping(string digits, long expected)
    {
        foreach (string plus in (string[])["", "+"])
        {
            Assert.True(ImapCommandBuffer.TryGetLiteralMarker(Encoding.ASCII.GetBytes("A1 LOGIN {" + digits + plus + "}"), out long size, out bool nonSync, out _));
            Assert.Equal(expected, size);
            Assert.Equal(plus.Length == 1, nonSync);
        }
    }

    [Fact]
    public void ManySmallLiteralsAreFoundEach()
    {
        StringBuilder wire = new("A1 X");
        for (int i = 0; i < 2000; i++)
        {
            wire.Append(" {1}\r\n").Append((char)('a' + (i % 26)));
        }

        ImapArgumentReader reader = new(ProtocolWire.Command(wire.ToString()));
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        for (int i = 0; i < 2000; i++)
        {
            reader.ReadSpace();
            Assert.Equal(((char)('a' + (i % 26))).ToString(), reader.ReadAString());
        }

        reader.ReadEnd();
    }

    [Fact]
    public void LiteralAppendedInPiecesIsOneLiteral()
    {
        ImapArgumentReader reader = new(ProtocolWire.Command("A1 LOGIN {11}\r\nhello world {3}\r\nabc", pieceSize: 1));
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        reader.ReadSpace();
        Assert.Equal("hello world", reader.ReadAString());
        reader.ReadSpace();
        Assert.Equal("abc", reader.ReadAString());
        reader.ReadEnd();
    }

    [Fact]
    public void ResetForgetsTheCommand()
    {
        ImapCommandBuffer buffer = ProtocolWire.Command("A1 LOGIN {3}\r\nabc {3}\r\ndef");
        Assert.Equal("A1 LOGIN {3}abc {3}def".Length, buffer.Length);
        buffer.Reset();
        Assert.Equal(0, buffer.Length);
        buffer.AppendLine("A2 NOOP"u8);
        ImapArgumentReader reader = new(buffer);
        Assert.Equal("A2", reader.ReadTag());
    }
}

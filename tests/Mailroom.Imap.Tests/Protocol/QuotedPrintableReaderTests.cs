using System.Text;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class QuotedPrintableReaderTests
{
    // imaptest's fetch-binary-mime-qp part, and what Dovecot decodes it to.
    private const string Encoded = "hello  \r\nbar=\r\n\r\nfoo\t=\r\nbar\r\nfoo\t \t= \r\n=62\r\nfoo = \t\r\nbar\r\nfoo =\r\n=62\r\nfoo  \r\nbar=\r\n\r\nfoo_bar\r\n";
    private const string Decoded = "hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nfoo b\r\nfoo\r\nbar\r\nfoo_bar\r\n";

    [Fact]
    public void DecodesAsRfc2045SaysWhereverTheInputIsSplit()
    {
        byte[] input = Encoding.ASCII.GetBytes(Encoded);
        for (int split = 0; split <= input.Length; split++)
        {
            Assert.Equal(Decoded, Decode(input[..split], input[split..]));
        }
    }

    [Theory]
    [InlineData("a=3", "a=3")]
    [InlineData("a=", "a=")]
    [InlineData("a=zz", "a=zz")]
    [InlineData("a=3d=3D", "a==")]
    [InlineData("bare\nlf", "bare\r\nlf")]
    [InlineData("cr\ralone", "cr\ralone")]
    [InlineData("trailing  ", "trailing")]
    [InlineData("= x", "= x")]
    public void KeepsWhatStartsNoValidSequence(string encoded, string decoded) =>
        Assert.Equal(decoded, Decode(Encoding.ASCII.GetBytes(encoded), []));

    [Fact]
    public void HeldWhiteSpaceIsBounded()
    {
        string blanks = new(' ', (QuotedPrintableReader.MaxHeldWhiteSpace * 3) + 5);
        string decoded = Decode(Encoding.ASCII.GetBytes("a" + blanks + "b\r\n"), []);
        Assert.Equal("a" + blanks + "b\r\n", decoded);
    }

    private static string Decode(byte[] first, byte[] second)
    {
        var reader = new QuotedPrintableReader();
        var output = new List<byte>();
        foreach (byte[] chunk in new[] { first, second })
        {
            byte[] buffer = new byte[QuotedPrintableReader.MaxOutputLength(chunk.Length)];
            output.AddRange(buffer[..reader.Decode(chunk, buffer)]);
        }

        byte[] tail = new byte[QuotedPrintableReader.MaxOutputLength(0)];
        output.AddRange(tail[..reader.Finish(tail)]);
        return Encoding.Latin1.GetString([.. output]);
    }
}

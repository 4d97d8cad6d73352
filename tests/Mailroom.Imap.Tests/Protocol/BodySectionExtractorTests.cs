using System.Text;
using Mailroom.Imap.Protocol;
using MimeKit;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class BodySectionExtractorTests
{
    private static string Section(string message, string spec)
    {
        (MemoryStream stream, MimeMessage parsed) = ProtocolWire.Parse(message);
        ImapArgumentReader reader = ProtocolWire.Reader("BODY[" + spec + "]");
        FetchRequest request = FetchRequest.Parse(ref reader);
        return ProtocolWire.Text(BodySectionExtractor.Extract(stream, parsed, request.Items[0].Section!));
    }

    private static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    [Fact]
    public void WholeMessageIsTheFileBytes()
    {
        Assert.Equal(Crlf(SampleMessages.Mixed), Section(SampleMessages.Mixed, string.Empty));
    }

    [Fact]
    public void HeaderIncludesTheBlankLineAndTextStartsAfterIt()
    {
        string header = Section(SampleMessages.Plain, "HEADER");
        Assert.StartsWith("From: Alice", header, StringComparison.Ordinal);
        Assert.EndsWith("Message-ID: <1@example.org>\r\n\r\n", header, StringComparison.Ordinal);
        Assert.Equal("Line one\r\nLine two", Section(SampleMessages.Plain, "TEXT"));
        Assert.Equal(Crlf(SampleMessages.Plain), header + Section(SampleMessages.Plain, "TEXT"));
    }

    [Fact]
    public void PartOneOfASinglePartMessageIsItsBody()
    {
        Assert.Equal("Line one\r\nLine two", Section(SampleMessages.Plain, "1"));
        Assert.Equal(Section(SampleMessages.Plain, "HEADER"), Section(SampleMessages.Plain, "1.MIME"));
        Assert.Equal(string.Empty, Section(SampleMessages.Plain, "2"));
        Assert.Equal(string.Empty, Section(SampleMessages.Plain, "1.1"));
    }

    [Fact]
    public void HeaderFieldsKeepFoldingAndOrderAndEndWithABlankLine()
    {
        Assert.Equal("To: bob@example.org, \"Doe, John\" <john@example.net>\r\nSubject: Hello\r\n there\r\n\r\n",
            Section(SampleMessages.Plain, "HEADER.FIELDS (subject TO)"));
        Assert.Equal("\r\n", Section(SampleMessages.Plain, "HEADER.FIELDS (X-Missing)"));
    }

    [Fact]
    public void HeaderFieldsNotLeavesOutTheListedFields()
    {
        Assert.Equal("From: Alice Example <alice@example.org>\r\nMessage-ID: <1@example.org>\r\n\r\n",
            Section(SampleMessages.Plain, "HEADER.FIELDS.NOT (To Subject Date)"));
    }

    [Fact]
    public void NestedMultipartPartsHaveExactBoundaries()
    {
        Assert.Equal("plain body", Section(SampleMessages.Mixed, "1.1"));
        Assert.Equal("<p>html body</p>", Section(SampleMessages.Mixed, "1.2"));
        Assert.Equal("Content-Type: text/plain; charset=utf-8\r\n\r\n", Section(SampleMessages.Mixed, "1.1.MIME"));
        Assert.Equal(Crlf("""
            --inner
            Content-Type: text/plain; charset=utf-8

            plain body
            --inner
            Content-Type: text/html; charset=utf-8

            <p>html body</p>
            --inner--
            """), Section(SampleMessages.Mixed, "1"));
        Assert.Equal("AAECAwQ=", Section(SampleMessages.Mixed, "2"));
    }

    [Fact]
    public void TopLevelTextIncludesPreambleAndEpilogue()
    {
        string text = Section(SampleMessages.Mixed, "TEXT");
        Assert.StartsWith("preamble\r\n--outer\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("--outer--\r\nepilogue\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageRfc822PartExposesItsMessage()
    {
        const string inner = "From: c@example.org\r\nSubject: Inner\r\nContent-Type: text/plain\r\n\r\n";
        Assert.Equal(inner + "inner text", Section(SampleMessages.Mixed, "3"));
        Assert.Equal(inner, Section(SampleMessages.Mixed, "3.HEADER"));
        Assert.Equal("inner text", Section(SampleMessages.Mixed, "3.TEXT"));
        Assert.Equal("inner text", Section(SampleMessages.Mixed, "3.1"));
        Assert.Equal("Content-Type: message/rfc822\r\n\r\n", Section(SampleMessages.Mixed, "3.MIME"));
        Assert.Equal("Subject: Inner\r\n\r\n", Section(SampleMessages.Mixed, "3.HEADER.FIELDS (SUBJECT)"));
        Assert.Equal(string.Empty, Section(SampleMessages.Mixed, "3.2"));
    }

    [Theory]
    [InlineData("4")]
    [InlineData("1.3")]
    [InlineData("2.1")]
    [InlineData("1.HEADER")]
    [InlineData("2.TEXT")]
    [InlineData("9.9.9")]
    public void MissingPartsOrMessageSectionsOfNonMessagesAreEmpty(string spec)
    {
        Assert.Equal(string.Empty, Section(SampleMessages.Mixed, spec));
    }

    [Fact]
    public void BinaryDecodesBase64AndQuotedPrintable()
    {
        (MemoryStream stream, MimeMessage parsed) = ProtocolWire.Parse(SampleMessages.Mixed);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, BodySectionExtractor.ExtractBinary(stream, parsed, [2]).ToArray());
        Assert.Equal("plain body", ProtocolWire.Text(BodySectionExtractor.ExtractBinary(stream, parsed, [1, 1])));

        (MemoryStream qp, MimeMessage qpParsed) = ProtocolWire.Parse(SampleMessages.QuotedPrintable);
        Assert.Equal("caf\u00e9 au lait", Encoding.UTF8.GetString(BodySectionExtractor.ExtractBinary(qp, qpParsed, [1]).Span));
    }

    [Fact]
    public void BinaryOfAnUnknownEncodingIsRefused()
    {
        (MemoryStream stream, MimeMessage parsed) = ProtocolWire.Parse("Content-Transfer-Encoding: x-gzip64\n\nabc\n");
        Assert.Throws<UnknownCteException>(() => BodySectionExtractor.ExtractBinary(stream, parsed, [1]));
    }

    [Fact]
    public void MessageParsedElsewhereIsReparsedForOffsets()
    {
        MemoryStream stream = ProtocolWire.Message(SampleMessages.Mixed);
        MimeMessage loaded = MimeMessage.Load(stream, TestContext.Current.CancellationToken);
        BodySection section = new([1, 2], SectionKind.Full, []);
        Assert.Equal("<p>html body</p>", ProtocolWire.Text(BodySectionExtractor.Extract(stream, loaded, section)));
    }

    [Theory]
    [InlineData(null, null, "0123456789")]
    [InlineData(0L, 4L, "0123")]
    [InlineData(8L, 100L, "89")]
    [InlineData(10L, 1L, "")]
    [InlineData(1000L, 5L, "")]
    public void PartialsAreCutAtTheEnd(long? offset, long? length, string expected)
    {
        ReadOnlyMemory<byte> data = "0123456789"u8.ToArray();
        Assert.Equal(expected, ProtocolWire.Text(BodySectionExtractor.ApplyPartial(data, offset, length)));
    }
}

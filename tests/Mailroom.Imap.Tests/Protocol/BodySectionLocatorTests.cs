using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class BodySectionLocatorTests
{
    private static string Section(string message, string spec)
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(message);
        ImapArgumentReader reader = ProtocolWire.Reader("BODY[" + spec + "]");
        FetchRequest request = FetchRequest.Parse(ref reader);
        BodySection section = request.Items[0].Section!;
        byte[] bytes = ProtocolWire.Range(stream, BodySectionLocator.Locate(parsed, stream.Length, section));
        return section.Kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot
            ? ProtocolWire.Text(HeaderFieldFilter.Filter(bytes, section.Fields, include: section.Kind == SectionKind.HeaderFields))
            : ProtocolWire.Text(bytes);
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
    public void ManyFieldNamesAgainstManyFieldsAreMatchedThroughASet()
    {
        StringBuilder header = new();
        for (int i = 0; i < 20_000; i++)
        {
            header.Append("X-").Append(i).Append(": v\r\n");
        }

        header.Append("\r\n");
        List<string> names = [.. Enumerable.Range(0, 20_000).Where(i => i % 2 == 0).Select(i => "x-" + i)];
        string picked = ProtocolWire.Text(HeaderFieldFilter.Filter(Encoding.ASCII.GetBytes(header.ToString()), names, include: true));
        Assert.Equal(10_000, picked.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("X-0: v\r\nX-2: v\r\n", picked, StringComparison.Ordinal);
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
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(SampleMessages.Mixed);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, ProtocolWire.Decoded(stream, BodySectionLocator.LocateBinary(parsed, stream.Length, [2])));
        Assert.Equal("plain body", ProtocolWire.Text(ProtocolWire.Decoded(stream, BodySectionLocator.LocateBinary(parsed, stream.Length, [1, 1]))));

        (MemoryStream qp, BodyPart qpParsed) = ProtocolWire.Parse(SampleMessages.QuotedPrintable);
        Assert.Equal("caf\u00e9 au lait", Encoding.UTF8.GetString(ProtocolWire.Decoded(qp, BodySectionLocator.LocateBinary(qpParsed, qp.Length, [1]))));
    }

    [Fact]
    public void BinaryOfAnUnknownEncodingIsRefused()
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse("Content-Transfer-Encoding: x-gzip64\n\nabc\n");
        Assert.Throws<UnknownCteException>(() => BodySectionLocator.LocateBinary(parsed, stream.Length, [1]));
    }

    [Theory]
    [InlineData(null, null, "0123456789")]
    [InlineData(0L, 4L, "0123")]
    [InlineData(8L, 100L, "89")]
    [InlineData(10L, 1L, "")]
    [InlineData(1000L, 5L, "")]
    public void PartialsAreCutAtTheEnd(long? offset, long? length, string expected)
    {
        (long start, long end) = BodySectionLocator.ApplyPartial(100, 110, offset, length);
        Assert.Equal(expected, "0123456789"[(int)(start - 100)..(int)(end - 100)]);
    }
}

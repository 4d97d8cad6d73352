using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class MimeStructureParserTests
{
    private static BodyPart Parse(string message, MessageLimits? limits = null) => ProtocolWire.Parse(message, limits).Parsed;

    private static MessageLimits Limits(int depth = 64, int parts = 10_000) => new(depth, parts, 1000);

    [Fact]
    public void FileThatDoesNotStartWithAFieldIsAllBody()
    {
        foreach (string text in (string[])["\tThis message has no header.\nIt is only a body.\n", "Hello world\nmore\n", " x\n\nbody\n", "no colon\n\nbody"])
        {
            (MemoryStream stream, BodyPart message) = ProtocolWire.Parse(text);
            Assert.Empty(message.Header.Fields);
            Assert.Equal((0, 0, stream.Length), (message.Begin, message.HeadersEnd, message.End));
            Assert.Equal(("text", "plain"), (message.MediaType, message.MediaSubtype));
            Assert.Equal(text.Count(c => c == '\n'), message.Lines);
        }
    }

    [Fact]
    public void EmptyFileIsAnEmptyMessage()
    {
        BodyPart message = Parse(string.Empty);
        Assert.Empty(message.Header.Fields);
        Assert.Equal((0, 0, 0, 0), (message.Begin, message.HeadersEnd, message.End, message.Lines));
    }

    [Fact]
    public void FoldedFieldsKeepTheirLineEndsAndLinesThatAreNotFieldsAreSkipped()
    {
        BodyPart message = Parse("Subject: one\n two\nnot a field\nX-A:b\n\nbody\n");
        Assert.Equal(["Subject", "X-A"], message.Header.Fields.Select(f => f.Name));
        Assert.Equal(" one\r\n two", Encoding.ASCII.GetString(message.Header.Fields[0].RawValue));
        Assert.Equal("one two", message.Header.Get("subject"));
        Assert.Equal("b", message.Header.Get("X-A"));
        Assert.Null(message.Header.Get("X-B"));
    }

    [Fact]
    public void HeaderFoldedOverAHundredThousandLinesIsReadInOnePass()
    {
        // MimeKit's parser grew its header buffer 64 bytes at a time: a field folded over 40,000 lines took 7.7 s,
        // and the time grew with the square of the field. Here the field is read once, whatever its length.
        StringBuilder text = new("To: a@example.org");
        for (int i = 0; i < 100_000; i++)
        {
            text.Append(",\n b").Append(i).Append("@example.org");
        }

        text.Append("\nSubject: after\n\nbody\n");
        BodyPart message = Parse(text.ToString());
        Assert.Equal("after", message.Header.Get("Subject"));
        Assert.EndsWith("b99999@example.org", message.Header.Get("To"), StringComparison.Ordinal);
    }

    [Fact]
    public void FieldLongerThanTheLineBufferIsKeptWhole()
    {
        string subject = new('s', (3 * MessageLineReader.BufferSize) + 17);
        (MemoryStream stream, BodyPart message) = ProtocolWire.Parse("Subject: " + subject + "\nX: y\n\nbody");
        Assert.Equal(subject, message.Header.Get("Subject"));
        Assert.Equal("y", message.Header.Get("X"));
        Assert.Equal("body", Encoding.ASCII.GetString(ProtocolWire.Range(stream, (message.HeadersEnd, message.End))));
    }

    [Fact]
    public void MissingCloseDelimiterEndsTheMultipartAtTheEndOfTheFile()
    {
        BodyPart message = Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n");
        Assert.Equal(2, message.Parts!.Count);
        Assert.Equal(1, message.Parts[1].Lines);
    }

    [Fact]
    public void MultipartWithoutABoundaryHasNoParts()
    {
        BodyPart message = Parse("Content-Type: multipart/mixed\n\n--b\n\none\n");
        Assert.NotNull(message.Parts);
        Assert.Empty(message.Parts);
    }

    [Fact]
    public void PartWithoutHeaderOrBlankLineIsAllContentAndAnEmptyPartIsSkipped()
    {
        (MemoryStream stream, BodyPart message) = ProtocolWire.Parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nhello\n--b\n--b\n\nx\n--b--\n");
        Assert.Equal(2, message.Parts!.Count);
        Assert.Empty(message.Parts[0].Header.Fields);
        Assert.Equal("hello", Encoding.ASCII.GetString(ProtocolWire.Range(stream, (message.Parts[0].HeadersEnd, message.Parts[0].End))));
    }

    [Fact]
    public void InvalidContentTypeIsOctetStreamAndDigestPartsAreMessages()
    {
        Assert.Equal(("application", "octet-stream"), MediaType(Parse("Content-Type: nonsense\n\nx")));
        Assert.Equal(("text", "html"), MediaType(Parse("Content-Type: text/html garbage; charset=x\n\nx")));
        BodyPart digest = Parse("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nbody\n--d--\n");
        BodyPart part = Assert.Single(digest.Parts!);
        Assert.Equal(("message", "rfc822"), MediaType(part));
        Assert.Equal("inner", part.Message!.Header.Get("Subject"));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public void MimeDepthIsBoundedOnBothSidesOfTheLimit(int depth, int expandedLevels)
    {
        BodyPart message = Parse("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n", Limits(depth: depth));
        BodyPart outer = Assert.Single(message.Parts!);
        Assert.Equal(expandedLevels == 2, outer.IsMultipart);
        Assert.Equal(("multipart", "mixed"), MediaType(outer));
    }

    [Fact]
    public void PartsPastTheLimitAreContentOfTheLastPart()
    {
        StringBuilder text = new("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 10; i++)
        {
            text.Append("--b\n\npart ").Append(i).Append('\n');
        }

        text.Append("--b--\n");

        // The message counts as a part: 1 + 10 parts fit in 11.
        Assert.Equal(10, Parse(text.ToString(), Limits(parts: 11)).Parts!.Count);

        (MemoryStream stream, BodyPart message) = ProtocolWire.Parse(text.ToString(), Limits(parts: 10));
        Assert.Equal(9, message.Parts!.Count);
        BodyPart last = message.Parts[^1];
        string content = Encoding.ASCII.GetString(ProtocolWire.Range(stream, (last.HeadersEnd, last.End)));
        Assert.Equal("part 8\r\n--b\r\n\r\npart 9\r\n--b--\r\n", content);
        Assert.Equal(content.Count(c => c == '\n'), last.Lines);
    }

    [Fact]
    public void HundredThousandEmptyPartsCostNoMoreThanTheLimit()
    {
        StringBuilder text = new("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 100_000; i++)
        {
            text.Append("--b\n\n");
        }

        BodyPart message = Parse(text.ToString());
        Assert.Equal(MessageLimits.Default.MaxMimeParts - 1, message.Parts!.Count);
    }

    [Fact]
    public void NestingBombStopsAtTheDepthLimit()
    {
        StringBuilder text = new();
        for (int i = 0; i < 5000; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\n\n--b").Append(i).Append('\n');
        }

        BodyPart part = Parse(text.ToString());
        int depth = 0;
        while (part.Parts is [var only, ..])
        {
            part = only;
            depth++;
        }

        Assert.Equal(MessageLimits.Default.MaxMimeDepth, depth);
    }

    [Fact]
    public void StructureIsTheSameWhateverPiecesTheFileIsReadIn()
    {
        foreach (string text in (string[])[SampleMessages.Mixed, SampleMessages.QuotedPrintable, SampleMessages.Plain])
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));
            string expected = Describe(MimeStructureParser.Parse(new MemoryStream(bytes), MessageLimits.Default));
            for (int piece = 1; piece <= 7; piece++)
            {
                Assert.Equal(expected, Describe(MimeStructureParser.Parse(new PieceStream(bytes, piece), MessageLimits.Default)));
            }
        }
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(-2)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void LinesAroundTheBufferSizeKeepTheirLineEnds(int delta)
    {
        string subject = new('s', MessageLineReader.BufferSize + delta - "Subject: ".Length);
        byte[] bytes = Encoding.ASCII.GetBytes("Subject: " + subject + "\r\nX: y\r\n\r\nbody\r\n--b\r\n");
        foreach (Stream stream in (Stream[])[new MemoryStream(bytes), new PieceStream(bytes, 4096)])
        {
            BodyPart message = MimeStructureParser.Parse(stream, MessageLimits.Default);
            Assert.Equal(subject, message.Header.Get("Subject"));
            Assert.Equal("y", message.Header.Get("X"));
            Assert.Equal(bytes.Length - "body\r\n--b\r\n".Length, message.HeadersEnd);
            Assert.Equal(2, message.Lines);
        }
    }

    private static string Describe(BodyPart part)
    {
        StringBuilder text = new();
        text.Append(part.Begin).Append(' ').Append(part.HeadersEnd).Append(' ').Append(part.End).Append(' ').Append(part.Lines).Append(' ')
            .Append(part.MediaType).Append('/').Append(part.MediaSubtype).Append(' ')
            .Append(string.Join(",", part.Header.Fields.Select(f => f.Name + "=" + Encoding.UTF8.GetString(f.RawValue))));
        foreach (BodyPart child in part.Parts ?? [])
        {
            text.Append(" [").Append(Describe(child)).Append(']');
        }

        if (part.Message is { } message)
        {
            text.Append(" {").Append(Describe(message)).Append('}');
        }

        return text.ToString();
    }

    private static (string, string) MediaType(BodyPart part) => (part.MediaType, part.MediaSubtype);

    /// <summary>A stream that hands out at most a few bytes per read, as a socket or a slow disk may.</summary>
    private sealed class PieceStream(byte[] data, int piece) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);
    }
}

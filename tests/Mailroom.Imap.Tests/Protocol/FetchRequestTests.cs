using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class FetchRequestTests
{
    private static FetchRequest Parse(string arguments)
    {
        ImapArgumentReader reader = ProtocolWire.Reader(arguments);
        FetchRequest request = FetchRequest.Parse(ref reader);
        reader.ReadEnd();
        return request;
    }

    private static string Names(FetchRequest request) => string.Join(" ", request.Items.Select(i => i.ToResponseName()));

    [Theory]
    [InlineData("ALL", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE")]
    [InlineData("fast", "FLAGS INTERNALDATE RFC822.SIZE")]
    [InlineData("FULL", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY")]
    [InlineData("UID", "UID")]
    [InlineData("(flags uid rfc822.size)", "FLAGS UID RFC822.SIZE")]
    [InlineData("(ENVELOPE BODYSTRUCTURE BODY INTERNALDATE MODSEQ)", "ENVELOPE BODYSTRUCTURE BODY INTERNALDATE MODSEQ")]
    [InlineData("(RFC822 RFC822.HEADER RFC822.TEXT)", "RFC822 RFC822.HEADER RFC822.TEXT")]
    public void MacrosAndSimpleItemsAreParsed(string arguments, string expected)
    {
        Assert.Equal(expected, Names(Parse(arguments)));
    }

    [Theory]
    [InlineData("BODY[]", "BODY[]")]
    [InlineData("BODY[HEADER]", "BODY[HEADER]")]
    [InlineData("BODY[TEXT]", "BODY[TEXT]")]
    [InlineData("body[1]", "BODY[1]")]
    [InlineData("BODY[1.2.3]", "BODY[1.2.3]")]
    [InlineData("BODY[2.MIME]", "BODY[2.MIME]")]
    [InlineData("BODY[4.2.HEADER]", "BODY[4.2.HEADER]")]
    [InlineData("BODY[3.text]", "BODY[3.TEXT]")]
    [InlineData("BODY[HEADER.FIELDS (DATE FROM)]", "BODY[HEADER.FIELDS (DATE FROM)]")]
    [InlineData("BODY.PEEK[HEADER.FIELDS.NOT (\"X-Spam\" Received)]", "BODY[HEADER.FIELDS.NOT (X-SPAM RECEIVED)]")]
    [InlineData("BODY[2.HEADER.FIELDS (SUBJECT)]", "BODY[2.HEADER.FIELDS (SUBJECT)]")]
    [InlineData("BODY[]<0.2048>", "BODY[]<0>")]
    [InlineData("BODY.PEEK[1]<100.5>", "BODY[1]<100>")]
    [InlineData("BINARY[1]", "BINARY[1]")]
    [InlineData("BINARY.PEEK[1.2]<0.10>", "BINARY[1.2]<0>")]
    [InlineData("BINARY[]", "BINARY[]")]
    [InlineData("BINARY.SIZE[2]", "BINARY.SIZE[2]")]
    public void EverySectionFormIsParsedAndEchoed(string arguments, string expected)
    {
        Assert.Equal(expected, Names(Parse(arguments)));
    }

    [Fact]
    public void SectionPartsKindsFieldsAndPartialAreExposed()
    {
        FetchItem item = Parse("BODY.PEEK[1.2.HEADER.FIELDS (Subject From)]<10.20>").Items.Single();
        Assert.Equal(FetchItemKind.BodySection, item.Kind);
        Assert.True(item.Peek);
        Assert.Equal([1, 2], item.Section!.Part);
        Assert.Equal(SectionKind.HeaderFields, item.Section.Kind);
        Assert.Equal(["Subject", "From"], item.Section.Fields);
        Assert.Equal((10L, 20L), (item.PartialOffset!.Value, item.PartialLength!.Value));
    }

    [Theory]
    [InlineData("BODY[]", true)]
    [InlineData("BODY.PEEK[]", false)]
    [InlineData("BINARY[1]", true)]
    [InlineData("BINARY.PEEK[1]", false)]
    [InlineData("RFC822", true)]
    [InlineData("RFC822.TEXT", true)]
    [InlineData("RFC822.HEADER", false)]
    [InlineData("BINARY.SIZE[1]", false)]
    [InlineData("(FLAGS ENVELOPE)", false)]
    public void ItemsThatSetSeenAreKnown(string arguments, bool setsSeen)
    {
        Assert.Equal(setsSeen, Parse(arguments).SetsSeen);
    }

    [Theory]
    [InlineData("(FLAGS UID MODSEQ)", false, false)]
    [InlineData("ENVELOPE", false, true)]
    [InlineData("BODY.PEEK[]", true, false)]
    [InlineData("RFC822", true, false)]
    [InlineData("BODY[1]", true, true)]
    [InlineData("BINARY.SIZE[1]", true, true)]
    public void ContentAndParseNeedsAreReported(string arguments, bool content, bool parsed)
    {
        FetchRequest request = Parse(arguments);
        Assert.Equal(content, request.NeedsContent);
        Assert.Equal(parsed, request.NeedsParsedMessage);
    }

    [Fact]
    public void ChangedSinceImpliesModSeq()
    {
        FetchRequest request = Parse("(FLAGS) (CHANGEDSINCE 12345 VANISHED)");
        Assert.Equal(12345UL, request.ChangedSince);
        Assert.True(request.Vanished);
        Assert.Contains(request.Items, i => i.Kind == FetchItemKind.ModSeq);
    }

    [Fact]
    public void EnsureUidAddsUidOnce()
    {
        FetchRequest request = Parse("FLAGS");
        Assert.False(request.Uid);
        request.EnsureUid();
        request.EnsureUid();
        Assert.True(request.Uid);
        Assert.Equal("UID FLAGS", Names(request));
    }

    [Theory]
    [InlineData("")]
    [InlineData("()")]
    [InlineData("(FLAGS")]
    [InlineData("(FLAGS  UID)")]
    [InlineData("(ALL)")]
    [InlineData("ALLX")]
    [InlineData("BOGUS")]
    [InlineData("BODY[")]
    [InlineData("BODY[1")]
    [InlineData("BODY[0]")]
    [InlineData("BODY[01]")]
    [InlineData("BODY[1.]")]
    [InlineData("BODY[1..2]")]
    [InlineData("BODY[MIME]")]
    [InlineData("BODY[HEADER.FIELDS]")]
    [InlineData("BODY[HEADER.FIELDS ()]")]
    [InlineData("BODY[HEADER.FIELDS (a:b)]")]
    [InlineData("BODY[TEXT.1]")]
    [InlineData("BODY[1.TEXT.MIME]")]
    [InlineData("BODY.PEEK")]
    [InlineData("BODY[]<0>")]
    [InlineData("BODY[]<0.0>")]
    [InlineData("BODY[]<1.x>")]
    [InlineData("BINARY[1.MIME]")]
    [InlineData("BINARY[HEADER]")]
    [InlineData("BINARY")]
    [InlineData("BINARY.SIZE[1]<0.1>")]
    [InlineData("FLAGS[]")]
    [InlineData("BODY[9999999999]")]
    [InlineData("FLAGS (CHANGEDSINCE)")]
    [InlineData("FLAGS (CHANGEDSINCE x)")]
    [InlineData("FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)")]
    [InlineData("FLAGS (BOGUS)")]
    [InlineData("FLAGS extra")]
    public void MalformedRequestsAreBad(string arguments)
    {
        Assert.Throws<ImapParseException>(() => Parse(arguments));
    }
}

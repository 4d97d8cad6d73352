using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class EnvelopeFormatterTests
{
    private static string Envelope(string message)
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(message);
        using (stream)
        {
            return ProtocolWire.Text(EnvelopeFormatter.Format(parsed.Header, MessageLimits.Default.MaxEnvelopeAddresses));
        }
    }

    [Fact]
    public void PlainMessageEnvelopeFollowsRfc9051()
    {
        Assert.Equal(
            "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"Hello there\" "
            + "((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) "
            + "((\"Alice Example\" NIL \"alice\" \"example.org\")) "
            + "((NIL NIL \"bob\" \"example.org\")(\"Doe, John\" NIL \"john\" \"example.net\")) NIL NIL NIL \"<1@example.org>\")",
            Envelope(SampleMessages.Plain));
    }

    [Fact]
    public void MissingHeadersAreNil()
    {
        Assert.Equal("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", Envelope("X-Other: 1\n\nbody\n"));
    }

    [Fact]
    public void SenderAndReplyToAreUsedWhenPresentAndFromOtherwise()
    {
        string envelope = Envelope("From: a@x\nSender: s@x\nReply-To:\nIn-Reply-To: <0@x>\n\nb\n");
        Assert.Equal("(NIL NIL ((NIL NIL \"a\" \"x\")) ((NIL NIL \"s\" \"x\")) ((NIL NIL \"a\" \"x\")) NIL NIL NIL \"<0@x>\" NIL)", envelope);
    }

    [Fact]
    public void EncodedWordsAreLeftAsTheyAre()
    {
        string envelope = Envelope("Subject: =?UTF-8?B?w6l0w6k=?=\nFrom: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\n\nb\n");
        Assert.StartsWith("(NIL \"=?UTF-8?B?w6l0w6k=?=\" ((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\"))", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupsAreMarkedWithStartAndEndEntries()
    {
        string envelope = Envelope("To: Friends: a@x, B <b@y>;, c@z\nCc: undisclosed-recipients:;\n\nb\n");
        Assert.Contains(
            "((NIL NIL \"Friends\" NIL)(NIL NIL \"a\" \"x\")(\"B\" NIL \"b\" \"y\")(NIL NIL NIL NIL)(NIL NIL \"c\" \"z\")) "
            + "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))",
            envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void RoutesCommentsAndMissingDomainsAreHandled()
    {
        string envelope = Envelope("To: <@a.example,@b.example:joe@c.example>, joe@example.com (Joe Q), nobody\n\nb\n");
        Assert.Contains(
            "((NIL \"@a.example,@b.example\" \"joe\" \"c.example\")(\"Joe Q\" NIL \"joe\" \"example.com\")(NIL NIL \"nobody\" \"MISSING_DOMAIN\"))",
            envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void EightBitHeadersAreSentAsLiterals()
    {
        string envelope = Envelope("Subject: Gr\u00fc\u00dfe\nFrom: \"J\u00f6rg\" <j@x>\n\nb\n");
        Assert.StartsWith("(NIL {7}\r\nGr\u00fc\u00dfe (({5}\r\nJ\u00f6rg NIL \"j\" \"x\"))", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedDisplayNamesAreUnquotedAndEscapedOnOutput()
    {
        string envelope = Envelope("From: \"A \\\"Q\\\" B\" <a@x>\n\nb\n");
        Assert.Contains("((\"A \\\"Q\\\" B\" NIL \"a\" \"x\"))", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void CommentsBeforeManyAddressesAreReadOnce()
    {
        // (x)(x)…a,a,…: the old parser looked through every comment again for each address (62 s for 1.6 MB).
        string to = string.Concat(Enumerable.Repeat("(x)", 300_000)) + string.Join(',', Enumerable.Repeat("a", 300_000));
        List<ImapAddress> addresses = AddressListParser.Parse(to, maxAddresses: 400_000);
        Assert.Equal(300_000, addresses.Count);
        Assert.Equal(new ImapAddress("x", null, "a", AddressListParser.MissingDomain), addresses[0]);
        Assert.Equal(new ImapAddress(null, null, "a", AddressListParser.MissingDomain), addresses[^1]);
    }

    [Fact]
    public void ACommentNamesOneAngleAddressNotEveryOneAfterIt()
    {
        // A fuzzer found "(long comment) <a@x> <b@y> …" copying the comment into every address: output quadratic in the header.
        List<ImapAddress> addresses = AddressListParser.Parse("(Real Name) <a@x> <b@y> <c@z>", maxAddresses: 10);
        Assert.Equal(
            [new ImapAddress("Real Name", null, "a", "x"), new ImapAddress(null, null, "b", "y"), new ImapAddress(null, null, "c", "z")],
            addresses);
    }

    [Fact]
    public void AddressListsAreCutAtTheLimitAndAGroupLeftOpenIsClosed()
    {
        Assert.Equal(3, AddressListParser.Parse("a@x, b@x, c@x", maxAddresses: 3).Count);
        Assert.Equal(["a", "b"], AddressListParser.Parse("a@x, b@x, c@x", maxAddresses: 2).Select(a => a.Mailbox));
        List<ImapAddress> group = AddressListParser.Parse("G: a@x, b@x, c@x;", maxAddresses: 2);
        Assert.Equal([new ImapAddress(null, null, "G", null), new ImapAddress(null, null, "a", "x"), new ImapAddress(null, null, null, null)], group);
    }

    [Fact]
    public void EnvelopeOfAHugeToIsBoundedByTheLimit()
    {
        string message = "To: " + string.Join(',', Enumerable.Repeat("a", 500_000)) + "\n\nb\n";
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(message);
        using (stream)
        {
            string envelope = ProtocolWire.Text(EnvelopeFormatter.Format(parsed.Header, maxAddresses: 10));
            Assert.Equal(10, envelope.Split("(NIL NIL \"a\" \"MISSING_DOMAIN\")").Length - 1);
        }
    }
}

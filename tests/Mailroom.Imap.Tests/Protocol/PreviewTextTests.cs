using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>RFC 8970 preview text: the first text part, decoded, HTML reduced to text, white space normalised, 200 characters.</summary>
public sealed class PreviewTextTests
{
    private static string Preview(string message)
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(message);
        using (stream)
        {
            return PreviewText.Generate(stream, parsed);
        }
    }

    [Fact]
    public void APlainMessagesPreviewIsItsBodyWithWhiteSpaceCollapsed()
    {
        Assert.Equal("Hello there. Second line, tab.", Preview("Subject: s\n\n  Hello   there.\n\nSecond line,\ttab.  \n"));
    }

    [Fact]
    public void TransferEncodingAndCharsetAreDecoded()
    {
        string message = """
            Subject: s
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Caf=E9 cr=E8me =3D ok
            """;

        Assert.Equal("Café crème = ok", Preview(message));
    }

    [Fact]
    public void HtmlLosesItsTagsHeadScriptsAndStylesAndKeepsDecodedEntities()
    {
        string message = """
            Subject: s
            Content-Type: text/html; charset=utf-8

            <html><head><title>Title</title><style>p { color: red }</style></head>
            <body><script>alert(1)</script><p>Fish &amp; chips</p><div>&lt;tonight&gt;</div></body></html>
            """;

        Assert.Equal("Fish & chips <tonight>", Preview(message));
    }

    [Fact]
    public void TheFirstTextPartWinsAndAttachmentsAreSkipped()
    {
        string message = """
            Subject: s
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain
            Content-Disposition: attachment; filename=notes.txt

            attached notes
            --b
            Content-Type: multipart/alternative; boundary=c

            --c
            Content-Type: text/plain

            the plain version
            --c
            Content-Type: text/html

            <p>the html version</p>
            --c--
            --b--
            """;

        Assert.Equal("the plain version", Preview(message));
    }

    [Theory]
    [InlineData("Subject: s\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\n")]
    [InlineData("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\n\nPNG\n--b--\n")]
    [InlineData("Subject: s\n\n \n\t\n")]
    public void AMessageWithoutTextHasAnEmptyPreview(string message)
    {
        Assert.Equal(string.Empty, Preview(message));
    }

    [Fact]
    public void APreviewIsCutAtTwoHundredCharactersAndATextThatLongIsKeptWhole()
    {
        string exactly = new('a', PreviewText.MaxCharacters);

        Assert.Equal(exactly, Preview("Subject: s\n\n" + exactly + "\n"));
        Assert.Equal(exactly, Preview("Subject: s\n\n" + exactly + "b\n"));
        Assert.Equal(new string('a', 199), Preview("Subject: s\n\n" + new string('a', 199) + " b\n"));
    }

    [Fact]
    public void ACutNeverSplitsASurrogatePair()
    {
        string text = new string('a', PreviewText.MaxCharacters - 1) + "\U0001F600";

        string preview = Preview("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n" + text + "\n");

        Assert.Equal(new string('a', PreviewText.MaxCharacters - 1), preview);
    }

    [Fact]
    public void OnlyTheDecodingLimitOfAHugePartIsReadAndACharacterCutByItIsDropped()
    {
        // A multi-byte character straddles the limit: no replacement character and no Latin-1 fallback.
        string body = new string(' ', PreviewText.MaxDecodedBytes - 1) + "é" + new string('x', 100_000);

        string preview = Preview("Subject: s\n\n" + body + "\n");

        Assert.Equal(string.Empty, preview);
    }
}

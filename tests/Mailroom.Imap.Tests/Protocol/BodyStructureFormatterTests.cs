using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class BodyStructureFormatterTests
{
    private const string InnerEnvelope =
        "(NIL \"Inner\" ((NIL NIL \"c\" \"example.org\")) ((NIL NIL \"c\" \"example.org\")) ((NIL NIL \"c\" \"example.org\")) NIL NIL NIL NIL NIL)";

    private static string Structure(string message, bool extensible)
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(message);
        using (stream)
        {
            return ProtocolWire.Text(BodyStructureFormatter.Format(parsed, extensible, MessageLimits.Default));
        }
    }

    [Fact]
    public void PlainTextWithoutContentTypeDefaultsToUsAscii()
    {
        Assert.Equal("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 18 1 NIL NIL NIL NIL)", Structure(SampleMessages.Plain, true));
        Assert.Equal("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 18 1)", Structure(SampleMessages.Plain, false));
    }

    [Fact]
    public void MixedMessageWithAlternativeAttachmentAndMessagePart()
    {
        int innerSize = "From: c@example.org\r\nSubject: Inner\r\nContent-Type: text/plain\r\n\r\ninner text".Length;
        string expected =
            "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)"
            + "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 16 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)"
            + "(\"application\" \"octet-stream\" (\"name\" \"data.bin\") NIL NIL \"base64\" 8 NIL (\"attachment\" (\"filename\" \"data.bin\")) NIL NIL)"
            + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" " + innerSize + " " + InnerEnvelope
            + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)"
            + " \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)";
        Assert.Equal(expected, Structure(SampleMessages.Mixed, true));
    }

    [Fact]
    public void NonExtensibleBodyOmitsExtensionData()
    {
        string body = Structure(SampleMessages.Mixed, false);
        Assert.StartsWith("(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 0)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 16 0) \"alternative\")", body, StringComparison.Ordinal);
        Assert.EndsWith(" \"mixed\")", body, StringComparison.Ordinal);
        Assert.DoesNotContain("boundary", body, StringComparison.Ordinal);
    }

    [Fact]
    public void IdDescriptionEncodingLanguageAndLocationAreReported()
    {
        string message = """
            Content-Type: text/plain; charset="iso-8859-1"; format=flowed
            Content-ID: <part1@x>
            Content-Description: A note
            Content-Transfer-Encoding: quoted-printable
            Content-Language: en, fr
            Content-Location: http://example.com/note.txt
            Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==

            caf=E9

            """;
        Assert.Equal(
            "(\"text\" \"plain\" (\"charset\" \"iso-8859-1\" \"format\" \"flowed\") \"<part1@x>\" \"A note\" \"quoted-printable\" 8 1 "
            + "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" NIL (\"en\" \"fr\") \"http://example.com/note.txt\")",
            Structure(message, true));
    }

    [Fact]
    public void Rfc2231ParametersStayEncodedAsDovecotSendsThem()
    {
        string message = """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: application/pdf
            Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf

            x
            --b--

            """;
        Assert.Equal(
            "((\"application\" \"pdf\" NIL NIL NIL \"7bit\" 1 NIL (\"attachment\" (\"filename*\" \"utf-8''r%C3%A9sum%C3%A9.pdf\")) NIL NIL)"
            + " \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)",
            Structure(message, true));
    }

    [Fact]
    public void DeeplyNestedMessagesAreBoundedByTheParser()
    {
        System.Text.StringBuilder message = new();
        for (int i = 0; i < 5000; i++)
        {
            message.Append("Content-Type: message/rfc822\n\n");
        }

        message.Append("Subject: core\n\nbody\n");
        string structure = Structure(message.ToString(), true);
        Assert.StartsWith("(\"message\" \"rfc822\"", structure, StringComparison.Ordinal);
        Assert.True(structure.Split("\"rfc822\"").Length - 1 <= 100);
    }
}

using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>
/// Seeded random messages from MIME-shaped pieces: parsing, describing, cutting sections and decoding never throw
/// (but the UNKNOWN-CTE answer), and every part lies within the file.
/// </summary>
public sealed class MessageFuzzTests
{
    private static readonly string[] Pieces =
    [
        "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: multipart/digest; boundary=c\r\n", "--b\r\n", "--b--\r\n",
        "--c\r\n", "--c--  \r\n", "\r\n", "\n", " folded\r\n", "\tx\r\n", "Subject: =?utf-8?q?caf=C3=A9?= =?x?b?AA==?=\r\n",
        "Content-Type: message/rfc822\r\n", "Content-Type: text/plain; charset=\"utf-8\"\r\n", "Content-Transfer-Encoding: base64\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n", "Content-Transfer-Encoding: x-unknown\r\n", "AAECAwQ=\r\n", "caf=C3=A9=\r\n",
        "To: (c) a@x, G: b@y;, <@r:c@z>\r\n", "From: \"q\\\" n\" <f@x>\r\n", "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n",
        "Content-Disposition: attachment; filename*0=a; filename*1=b\r\n", "\0", "body text\r\n", "no colon line\r\n", "=?", "?=",
        "(", ")", "<", ">", ":", ";", "@", ",", "\"", "\u00e9", "-", "--", "\r",
    ];

    [Fact]
    public void RandomMessagesAreParsedDescribedAndCutWithoutFailing()
    {
        Random random = new(2045);
        for (int round = 0; round < 2000; round++)
        {
            StringBuilder text = new();
            int count = random.Next(1, 40);
            for (int i = 0; i < count; i++)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            string message = text.ToString();
            try
            {
                Exercise(Encoding.UTF8.GetBytes(message), random);
            }
            catch (Exception error) when (error is not UnknownCteException)
            {
                Assert.Fail($"{error.GetType().Name} for message {message.ReplaceLineEndings("\\n")}: {error}");
            }
        }
    }

    private static void Exercise(byte[] bytes, Random random)
    {
        using var stream = new MemoryStream(bytes);
        MessageLimits limits = new(random.Next(1, 5), random.Next(1, 12), random.Next(1, 5));
        BodyPart message = MimeStructureParser.Parse(stream, limits);
        AssertWithin(message, bytes.Length);
        BodyStructureFormatter.Format(message, extensible: true, limits);
        BodyStructureFormatter.Format(message, extensible: false, limits);
        EnvelopeFormatter.Format(message.Header, limits.MaxEnvelopeAddresses);
        var text = new MessageText(stream, message);
        for (int i = 0; i < text.Fields.Count; i++)
        {
            _ = text.Value(i);
        }

        _ = text.Bodies;
        _ = text.SentDate;
        foreach (int[] path in (int[][])[[], [1], [2], [1, 1], [2, 1], [3, 2, 1]])
        {
            foreach (SectionKind kind in Enum.GetValues<SectionKind>())
            {
                if (kind == SectionKind.Mime && path.Length == 0)
                {
                    continue;
                }

                (long start, long end) = BodySectionLocator.Locate(message, bytes.Length, new BodySection(path, kind, ["Subject"]));
                Assert.InRange(start, 0, end);
                Assert.InRange(end, start, bytes.Length);
            }

            try
            {
                ProtocolWire.Decoded(stream, BodySectionLocator.LocateBinary(message, bytes.Length, path));
            }
            catch (UnknownCteException)
            {
                // Answered NO [UNKNOWN-CTE] (RFC 3516 §4.2).
            }
        }
    }

    private static void AssertWithin(BodyPart part, long length)
    {
        Assert.InRange(part.Begin, 0, part.HeadersEnd);
        Assert.InRange(part.HeadersEnd, part.Begin, part.End);
        Assert.InRange(part.End, part.HeadersEnd, length);
        foreach (BodyPart child in part.Parts ?? [])
        {
            Assert.InRange(child.Begin, part.HeadersEnd, part.End);
            AssertWithin(child, length);
        }

        if (part.Message is { } message)
        {
            Assert.InRange(message.Begin, part.HeadersEnd, part.End);
            AssertWithin(message, length);
        }
    }
}

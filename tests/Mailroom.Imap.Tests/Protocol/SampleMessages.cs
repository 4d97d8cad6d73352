namespace Mailroom.Imap.Tests.Protocol;

/// <summary>Test messages (LF here; <see cref="ProtocolWire.Message"/> makes them CRLF as stored).</summary>
internal static class SampleMessages
{
    public const string Plain = """
        From: Alice Example <alice@example.org>
        To: bob@example.org, "Doe, John" <john@example.net>
        Subject: Hello
         there
        Date: Mon, 7 Feb 1994 21:52:25 -0800
        Message-ID: <1@example.org>

        Line one
        Line two
        """;

    public const string Mixed = """
        From: a@example.org
        Subject: Mixed
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        preamble
        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain; charset=utf-8

        plain body
        --inner
        Content-Type: text/html; charset=utf-8

        <p>html body</p>
        --inner--
        --outer
        Content-Type: application/octet-stream; name="data.bin"
        Content-Transfer-Encoding: base64
        Content-Disposition: attachment; filename="data.bin"

        AAECAwQ=
        --outer
        Content-Type: message/rfc822

        From: c@example.org
        Subject: Inner
        Content-Type: text/plain

        inner text
        --outer--
        epilogue

        """;

    public const string QuotedPrintable = """
        Subject: qp
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        caf=C3=A9 au=
         lait
        """;
}

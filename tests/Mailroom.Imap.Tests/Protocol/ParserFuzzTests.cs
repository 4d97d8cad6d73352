using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>Seeded random token soup: the parsers may only ever answer with <see cref="ImapParseException"/>.</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Tokens =
    [
        " ", "(", ")", "[", "]", "<", ">", ".", "\"", "\\", "{3}\r\nabc", "{0}\r\n", "~{2}\r\n\0x", "{9}", "*", ":", ",", "$", "0", "1",
        "4294967296", "99999999999999999999", "BODY", "PEEK", "HEADER", "FIELDS", "NOT", "OR", "TEXT", "MIME", "BINARY", "SIZE",
        "UID", "ALL", "FULL", "CHANGEDSINCE", "MODSEQ", "RETURN", "CHARSET", "UTF-8", "SINCE", "1-Feb-1994", "KEYWORD", "\u00e9",
        "\0", "\t", "%", "+", "-", "NIL",
    ];

    [Fact]
    public void RandomInputNeverThrowsAnythingButParseErrors()
    {
        Random random = new(9051);
        for (int round = 0; round < 1500; round++)
        {
            StringBuilder text = new();
            int count = random.Next(1, 12);
            for (int i = 0; i < count; i++)
            {
                text.Append(Tokens[random.Next(Tokens.Length)]);
            }

            string input = text.ToString();
            AssertOnlyParseErrors(input, static r => SearchRequest.Parse(ref r, allowReturnOptions: true, maxDepth: 64, maxKeys: 1000));
            AssertOnlyParseErrors(input, static r =>
            {
                FetchRequest.Parse(ref r);
                r.ReadEnd();
            });
            AssertOnlyParseErrors(input, static r =>
            {
                r.ReadTag();
                r.ReadSpace();
                r.ReadMailboxName(utf8Enabled: false);
                r.ReadSpace();
                r.ReadParenthesizedAtoms();
                r.ReadSpace();
                r.ReadDateTime();
                r.ReadSpace();
                r.ReadMessage(out _).Dispose();
                r.ReadSpace();
                r.ReadNString();
                r.ReadSpace();
                r.ReadListMailbox(utf8Enabled: false);
                r.ReadEnd();
            });
        }
    }

    private static void AssertOnlyParseErrors(string input, Action<ImapArgumentReader> parse)
    {
        try
        {
            parse(ProtocolWire.Reader(input));
        }
        catch (ImapParseException)
        {
            // The expected outcome for nearly every input.
        }
        catch (Exception error)
        {
            Assert.Fail($"{error.GetType().Name} for input {input}: {error.Message}");
        }
    }
}

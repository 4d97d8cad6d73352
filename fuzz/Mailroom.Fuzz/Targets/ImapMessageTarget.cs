using Mailroom.Imap.Protocol;
using MimeKit;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// A message file as IMAP serves it: MIME parsing with offsets, ENVELOPE and BODYSTRUCTURE/BODY (checked to be
/// well-formed IMAP data), and BODY[section] / BINARY[section] extraction for the parts a client can name
/// (HEADER, HEADER.FIELDS[.NOT], TEXT, MIME, nested message/rfc822), with partials.
/// </summary>
internal sealed class ImapMessageTarget : FuzzTarget
{
    private static readonly int[][] Parts = [[], [1], [2], [3], [1, 1], [1, 2], [2, 1], [2, 2], [1, 1, 1], [2, 1, 1]];
    private static readonly string[] Fields = ["SUBJECT", "FROM", "CONTENT-TYPE"];

    public override string Name => "imap-message";

    public override string Description => "MIME parse, ENVELOPE, BODYSTRUCTURE and BODY[section]/BINARY extraction";

    public override string? Dictionary => "mime.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = input.ToArray();
        using var stream = new MemoryStream(bytes, writable: false);
        MimeMessage parsed = ImapMessageParser.Parse(stream);

        ImapSyntax.CheckData(EnvelopeFormatter.Format(parsed), "ENVELOPE");
        ImapSyntax.CheckData(BodyStructureFormatter.Format(parsed, extensible: false), "BODY");
        ImapSyntax.CheckData(BodyStructureFormatter.Format(parsed, extensible: true), "BODYSTRUCTURE");

        foreach (int[] part in Parts)
        {
            foreach (SectionKind kind in Enum.GetValues<SectionKind>())
            {
                if (part.Length == 0 && kind == SectionKind.Mime)
                {
                    continue;
                }

                IReadOnlyList<string> fields = kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot ? Fields : [];
                ReadOnlyMemory<byte> section = BodySectionExtractor.Extract(stream, parsed, new BodySection(part, kind, fields));
                // HEADER.FIELDS may add a CRLF to a last field that lacks one, and the blank line.
                if (section.Length > bytes.Length + 4)
                {
                    throw new FuzzFailureException($"BODY[{string.Join('.', part)} {kind}] is {section.Length} bytes, longer than the message");
                }

                ReadOnlyMemory<byte> partial = BodySectionExtractor.ApplyPartial(section, bytes.Length % 7, 5);
                if (partial.Length > 5)
                {
                    throw new FuzzFailureException("a partial of 5 bytes returned more");
                }
            }

            if (part.Length > 0)
            {
                try
                {
                    _ = BodySectionExtractor.ExtractBinary(stream, parsed, part);
                }
                catch (UnknownCteException)
                {
                    // FETCH answers NO [UNKNOWN-CTE] (RFC 3516 §4.3).
                }
            }
        }
    }
}

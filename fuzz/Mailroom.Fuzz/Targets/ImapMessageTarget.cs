using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using MimeKit.Encodings;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// A message file as IMAP serves it, through the linear MIME parser (<see cref="MimeStructureParser"/>) and the section
/// locator: the structure lies within the file, every part within its parent and after its older sibling, nesting and
/// part counts within <see cref="Limits"/>, each part's line count the line ends of its content, and the file read in
/// short pieces parses the same; ENVELOPE, BODY and BODYSTRUCTURE are well-formed IMAP data of bounded size; every
/// BODY[section] lies within the file, HEADER.FIELDS and HEADER.FIELDS.NOT split the header between them, partials
/// stay within their range; BINARY[part] decodes, a few bytes at a time, to what one whole decoding gives and never
/// to more than the raw part (but for UNKNOWN-CTE); the text SEARCH reads is decoded within bounds. The input may
/// stand for a longer file (<see cref="LongRuns"/>).
/// </summary>
internal sealed class ImapMessageTarget : FuzzTarget
{
    /// <summary>Small limits, so that fuzzed messages reach them (the defaults are 64 levels, 10,000 parts, 1,000 addresses).</summary>
    private static readonly MessageLimits Limits = new(MaxMimeDepth: 8, MaxMimeParts: 100, MaxEnvelopeAddresses: 20);

    private static readonly int[][] Paths = [[], [1], [2], [3], [1, 1], [1, 2], [2, 1], [2, 2], [1, 1, 1], [2, 1, 1], [3, 2, 1]];
    private static readonly string[] Fields = ["SUBJECT", "FROM", "CONTENT-TYPE"];

    private long _expandedBeyondInput;

    public override string Name => "imap-message";

    public override string Description => "MIME structure, ENVELOPE, BODYSTRUCTURE, BODY[section], BINARY and SEARCH text of a message file";

    public override string? Dictionary => "mime.dict";

    /// <summary>A long run stands for many bytes of file: those are allowed what input bytes are.</summary>
    public override long AllocationAllowance => base.AllocationAllowance + (FuzzRunner.AllocationPerInputByte * _expandedBeyondInput);

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = LongRuns.Expand(input);
        _expandedBeyondInput = Math.Max(0, bytes.Length - input.Length);
        using var stream = new MemoryStream(bytes, writable: false);
        BodyPart message = MimeStructureParser.Parse(stream, Limits);
        int parts = CheckStructure(message, bytes);

        byte seed = (byte)(input.IsEmpty ? 1 : input[^1] | 1);
        using (var pieces = new PieceReadStream(bytes, seed))
        {
            string whole = Describe(message);
            string piecewise = Describe(MimeStructureParser.Parse(pieces, Limits));
            if (whole != piecewise)
            {
                throw new FuzzFailureException($"the file read in pieces parsed differently:\n{whole}\n{piecewise}");
            }
        }

        CheckDescriptions(message, bytes.Length, parts);
        foreach (int[] path in Paths)
        {
            CheckSections(message, bytes, path);
            CheckBinary(stream, message, bytes, path, seed);
        }

        CheckSearchText(stream, message, bytes.Length);
    }

    /// <summary>Checks offsets, order, nesting and line counts of every part; returns how many parts there are.</summary>
    private static int CheckStructure(BodyPart message, byte[] file)
    {
        int count = 0;
        Stack<(BodyPart Part, int Depth, long Start, long End)> pending = new([(message, 0, 0, file.Length)]);
        while (pending.TryPop(out (BodyPart Part, int Depth, long Start, long End) entry))
        {
            BodyPart part = entry.Part;
            count++;
            if (entry.Depth > Limits.MaxMimeDepth)
            {
                throw new FuzzFailureException($"a part nested {entry.Depth} deep, past the limit of {Limits.MaxMimeDepth}");
            }

            if (!(entry.Start <= part.Begin && part.Begin <= part.HeadersEnd && part.HeadersEnd <= part.End && part.End <= entry.End))
            {
                throw new FuzzFailureException($"a part at {part.Begin}/{part.HeadersEnd}/{part.End} outside its parent's content {entry.Start}..{entry.End}");
            }

            // RFC 9051 body-fld-lines: the line ends of the content (Dovecot and Cyrus count the same).
            int lineEnds = file.AsSpan((int)part.HeadersEnd, (int)(part.End - part.HeadersEnd)).Count((byte)'\n');
            if (part.Lines != lineEnds)
            {
                throw new FuzzFailureException($"a part of {lineEnds} line ends at {part.HeadersEnd}..{part.End} says {part.Lines} lines");
            }

            long previousEnd = part.HeadersEnd;
            foreach (BodyPart child in part.Parts ?? [])
            {
                if (child.Begin < previousEnd)
                {
                    throw new FuzzFailureException($"a body part begins at {child.Begin}, before its older sibling or its parent's header ends at {previousEnd}");
                }

                previousEnd = child.End;
                pending.Push((child, entry.Depth + 1, part.HeadersEnd, part.End));
            }

            if (part.Message is { } encapsulated)
            {
                if (!part.IsMessage || part.Parts is not null)
                {
                    throw new FuzzFailureException($"a {part.MediaType}/{part.MediaSubtype} part encapsulates a message");
                }

                pending.Push((encapsulated, entry.Depth + 1, part.HeadersEnd, part.End));
            }
        }

        if (count > Limits.MaxMimeParts)
        {
            throw new FuzzFailureException($"{count} parts, past the limit of {Limits.MaxMimeParts}");
        }

        return count;
    }

    private static string Describe(BodyPart part)
    {
        var text = new StringBuilder();
        Stack<BodyPart> pending = new([part]);
        while (pending.TryPop(out BodyPart? next))
        {
            text.Append(CultureInfo.InvariantCulture, $"[{next.Begin} {next.HeadersEnd} {next.End} {next.Lines} {next.MediaType}/{next.MediaSubtype} {next.Header.Fields.Count}");
            foreach (HeaderField field in next.Header.Fields)
            {
                text.Append(' ').Append(field.Name).Append('=').Append(Convert.ToHexString(field.RawValue));
            }

            text.Append(CultureInfo.InvariantCulture, $" {next.Parts?.Count ?? -1} {next.Message is not null}]");
            foreach (BodyPart child in (next.Parts ?? []).Reverse())
            {
                pending.Push(child);
            }

            if (next.Message is { } message)
            {
                pending.Push(message);
            }
        }

        return text.ToString();
    }

    private static void CheckDescriptions(BodyPart message, long fileLength, int parts)
    {
        // Each header value is written a bounded number of times, at most tripled (UTF-8 of Latin-1, quoting); each
        // address and each part adds a bounded amount of syntax.
        byte[] envelope = EnvelopeFormatter.Format(message.Header, Limits.MaxEnvelopeAddresses);
        ImapSyntax.CheckData(envelope, "ENVELOPE");
        long envelopeAllowed = (24 * fileLength) + (6L * (Limits.MaxEnvelopeAddresses + 2) * 96) + 512;
        if (envelope.Length > envelopeAllowed)
        {
            throw new FuzzFailureException($"ENVELOPE of {envelope.Length} bytes for a file of {fileLength}");
        }

        foreach (bool extensible in (bool[])[false, true])
        {
            byte[] structure = BodyStructureFormatter.Format(message, extensible, Limits);
            string what = extensible ? "BODYSTRUCTURE" : "BODY";
            ImapSyntax.CheckData(structure, what);
            long allowed = (32 * fileLength) + (parts * (envelopeAllowed + 1024));
            if (structure.Length > allowed)
            {
                throw new FuzzFailureException($"{what} of {structure.Length} bytes for a file of {fileLength} bytes and {parts} parts");
            }
        }
    }

    private static void CheckSections(BodyPart message, byte[] file, int[] path)
    {
        long headerFields = -1;
        foreach (SectionKind kind in Enum.GetValues<SectionKind>())
        {
            if (path.Length == 0 && kind == SectionKind.Mime)
            {
                continue;
            }

            IReadOnlyList<string> fields = kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot ? Fields : [];
            var section = new BodySection(path, kind, fields);
            (long start, long end) = BodySectionLocator.Locate(message, file.Length, section);
            if (start < 0 || start > end || end > file.Length)
            {
                throw new FuzzFailureException($"BODY[{section.ToWireString()}] at {start}..{end} in a file of {file.Length} bytes");
            }

            long length = end - start;
            if (kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
            {
                // Every field goes to exactly one of the two; each may gain a CRLF on a last field without one, and the blank line.
                ReadOnlyMemory<byte> picked = HeaderFieldFilter.Filter(file.AsSpan((int)start, (int)length), fields, include: kind == SectionKind.HeaderFields);
                if (picked.Length > length + 4)
                {
                    throw new FuzzFailureException($"BODY[{section.ToWireString()}] is {picked.Length} bytes from a header of {length}");
                }

                if (headerFields < 0)
                {
                    headerFields = picked.Length;
                }
                else if (headerFields + picked.Length > length + 8)
                {
                    throw new FuzzFailureException($"HEADER.FIELDS and HEADER.FIELDS.NOT are {headerFields} + {picked.Length} bytes from a header of {length}");
                }

                length = picked.Length;
                start = 0;
            }

            long origin = file.Length % 7;
            (long from, long to) = BodySectionLocator.ApplyPartial(start, start + length, origin, 5);
            if (from < start || to > start + length || from > to || to - from > 5)
            {
                throw new FuzzFailureException($"partial <{origin}.5> of {start}..{start + length} is {from}..{to}");
            }
        }
    }

    private static void CheckBinary(MemoryStream stream, BodyPart message, byte[] file, int[] path, byte seed)
    {
        (long Start, long End, ContentEncoding Encoding) range;
        try
        {
            range = BodySectionLocator.LocateBinary(message, file.Length, path);
        }
        catch (UnknownCteException)
        {
            // FETCH answers NO [UNKNOWN-CTE] (RFC 3516 §4.3).
            return;
        }

        if (range.Start < 0 || range.Start > range.End || range.End > file.Length)
        {
            throw new FuzzFailureException($"BINARY[{string.Join('.', path)}] at {range.Start}..{range.End} in a file of {file.Length} bytes");
        }

        byte[] raw = file.AsSpan((int)range.Start, (int)(range.End - range.Start)).ToArray();
        byte[] expected = range.Encoding switch
        {
            ContentEncoding.Base64 => DecodeAtOnce(new Base64Decoder(), raw),
            ContentEncoding.QuotedPrintable => QuotedPrintableAtOnce(raw),
            _ => raw,
        };

        using var decoded = new MemoryStream();
        byte[] chunk = new byte[1 + (seed % 61)];
        using (var reader = new ContentReader(stream, range.Start, range.End, range.Encoding))
        {
            int read;
            while ((read = reader.Read(chunk)) > 0)
            {
                decoded.Write(chunk, 0, read);
                // Quoted-printable writes each bare line end as CRLF, so it may grow by up to twice (and what Finish releases).
                if (decoded.Length > (range.Encoding == ContentEncoding.QuotedPrintable ? QuotedPrintableReader.MaxOutputLength(raw.Length) : raw.Length))
                {
                    throw new FuzzFailureException($"BINARY[{string.Join('.', path)}] decodes to more than its {raw.Length} raw bytes ({range.Encoding})");
                }
            }
        }

        if (!decoded.GetBuffer().AsSpan(0, (int)decoded.Length).SequenceEqual(expected))
        {
            throw new FuzzFailureException($"BINARY[{string.Join('.', path)}] read {chunk.Length} bytes at a time is {decoded.Length} bytes, decoded at once {expected.Length} ({range.Encoding})");
        }
    }

    /// <summary>BINARY's own decoder (RFC 2045 rule 3, unlike MimeKit's) over the whole part in one call.</summary>
    private static byte[] QuotedPrintableAtOnce(byte[] raw)
    {
        var reader = new QuotedPrintableReader();
        byte[] output = new byte[QuotedPrintableReader.MaxOutputLength(raw.Length) + 8];
        int length = reader.Decode(raw, output);
        length += reader.Finish(output.AsSpan(length));
        return output.AsSpan(0, length).ToArray();
    }

    private static byte[] DecodeAtOnce(IMimeDecoder decoder, byte[] raw)
    {
        byte[] output = new byte[decoder.EstimateOutputLength(raw.Length)];
        int length = decoder.Decode(raw, 0, raw.Length, output);
        return output.AsSpan(0, length).ToArray();
    }

    private static void CheckSearchText(MemoryStream stream, BodyPart message, long fileLength)
    {
        var text = new MessageText(stream, message);
        for (int i = 0; i < text.Fields.Count; i++)
        {
            string value = text.Value(i);
            if (value.Length > (2L * text.Fields[i].RawValue.Length) + 16)
            {
                throw new FuzzFailureException($"header field {text.Fields[i].Name} of {text.Fields[i].RawValue.Length} bytes decoded to {value.Length} characters");
            }
        }

        long characters = text.Bodies.Sum(static b => (long)b.Length);
        if (characters > (2 * fileLength) + 16)
        {
            throw new FuzzFailureException($"{characters} characters of body text from a file of {fileLength} bytes");
        }

        _ = text.SentDate;
    }
}

using System.Runtime.CompilerServices;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Parses a message file with MimeKit, remembering each entity's byte offsets so that sections are cut from the raw
/// bytes and sizes come from the file (never from re-serialising). Content stays in the file (persistent parse), so
/// the stream must stay open while the parsed message is used.
/// </summary>
internal static class ImapMessageParser
{
    // MIME nesting deeper than this is treated as content (MimeKit's guard against nesting bombs).
    private const int MaxMimeDepth = 64;

    private static readonly ParserOptions Options = CreateOptions();
    private static readonly ConditionalWeakTable<object, EntityOffsets> Offsets = new();

    /// <summary>Parses the message from the stream's start. The stream should be seekable (a message file).</summary>
    public static MimeMessage Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }

        MimeParser parser = new(Options, stream, persistent: stream.CanSeek);
        Dictionary<object, long> begins = new(ReferenceEqualityComparer.Instance);
        List<(object Entity, EntityOffsets Offsets)> parsed = [];
        parser.MimeEntityBegin += (_, e) => begins[e.Entity] = e.BeginOffset;
        parser.MimeMessageBegin += (_, e) => begins[e.Message] = e.BeginOffset;
        parser.MimeEntityEnd += (_, e) =>
            parsed.Add((e.Entity, new EntityOffsets(begins[e.Entity], e.HeadersEndOffset, e.EndOffset, e.Lines)));
        parser.MimeMessageEnd += (_, e) =>
            parsed.Add((e.Message, new EntityOffsets(begins[e.Message], e.HeadersEndOffset, e.EndOffset, 0)));
        MimeMessage message = parser.ParseMessage();
        foreach ((object entity, EntityOffsets offsets) in parsed)
        {
            Offsets.AddOrUpdate(entity, CountTerminatedLines(stream, offsets));
        }

        return message;
    }

    /// <summary>Offsets of an entity or message parsed by <see cref="Parse"/>.</summary>
    public static bool TryGetOffsets(object entityOrMessage, out EntityOffsets offsets)
    {
        ArgumentNullException.ThrowIfNull(entityOrMessage);
        return Offsets.TryGetValue(entityOrMessage, out offsets!);
    }

    public static EntityOffsets GetOffsets(object entityOrMessage) =>
        TryGetOffsets(entityOrMessage, out EntityOffsets offsets)
            ? offsets
            : throw new InvalidOperationException("The message was not parsed by ImapMessageParser.Parse, so its offsets are unknown.");

    // MimeKit counts a last line without a line end; body-fld-lines counts line ends, as Dovecot and Cyrus do
    // (so "text" with no final CRLF before the boundary is 0 lines, RFC 9051 §7.5.2 "size of the body in text lines").
    private static EntityOffsets CountTerminatedLines(Stream stream, EntityOffsets offsets)
    {
        if (offsets.Lines == 0 || offsets.End <= offsets.HeadersEnd || !stream.CanSeek || offsets.End > stream.Length)
        {
            return offsets;
        }

        stream.Position = offsets.End - 1;
        return stream.ReadByte() == '\n' ? offsets : offsets with { Lines = offsets.Lines - 1 };
    }

    private static ParserOptions CreateOptions()
    {
        ParserOptions options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = MaxMimeDepth;
        return options;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// Writes one <c>* n FETCH (...)</c> response per message, built in a buffer and then copied to the session. The
/// message file is opened before any of it is written, so a message that vanished leaves nothing on the wire; a
/// whole file (BODY[], RFC822) goes from the page cache straight into the session's output, without a copy in between.
/// </summary>
internal sealed class FetchResponseWriter
{
    private static readonly BodySection HeaderSection = new([], SectionKind.Header, []);
    private static readonly BodySection TextSection = new([], SectionKind.Text, []);

    // Pieces of a whole file copied at a time: the pipe's segments are at most this big anyway.
    private const int CopyChunk = 64 * 1024;

    private readonly ImapSession _session;
    private readonly FetchRequest _fetch;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly bool _flagsRequested;

    public FetchResponseWriter(ImapSession session, FetchRequest fetch)
    {
        _session = session;
        _fetch = fetch;
        _flagsRequested = fetch.Items.Any(static i => i.Kind == FetchItemKind.Flags);
    }

    /// <param name="sequenceNumber">The message's number in the session's view.</param>
    /// <param name="record">The message.</param>
    /// <param name="seenNow">This fetch set \Seen: FLAGS join the response even if not asked for.</param>
    public void Write(int sequenceNumber, MessageRecord record, bool seenNow)
    {
        _buffer.ResetWrittenCount();
        SelectedMailbox selected = _session.Selected!;
        using var message = new SearchMessage(selected.Folder, sequenceNumber, record, selected.IsRecent(record.Uid));
        if (_fetch.NeedsContent)
        {
            _ = message.Content;
        }

        Ascii(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} FETCH ("));
        bool first = true;
        foreach (FetchItem item in _fetch.Items)
        {
            if (!first)
            {
                Ascii(" ");
            }

            first = false;
            WriteItem(item, message, selected.Folder);
        }

        if (seenNow && !_flagsRequested)
        {
            Ascii(" ");
            WriteFlags(record);
        }

        Ascii(")\r\n");
        _session.Write(_buffer.WrittenSpan);
    }

    private void WriteItem(FetchItem item, SearchMessage message, MailFolder folder)
    {
        MessageRecord record = message.Record;
        switch (item.Kind)
        {
            case FetchItemKind.Uid:
                Ascii(string.Create(CultureInfo.InvariantCulture, $"UID {record.Uid}"));
                break;
            case FetchItemKind.Flags:
                WriteFlags(record);
                break;
            case FetchItemKind.InternalDate:
                Ascii("INTERNALDATE \"" + ImapWire.FormatInternalDate(record.InternalDate) + "\"");
                break;
            case FetchItemKind.Rfc822Size:
                Ascii(string.Create(CultureInfo.InvariantCulture, $"RFC822.SIZE {record.Size}"));
                break;
            case FetchItemKind.ModSeq:
                Ascii(string.Create(CultureInfo.InvariantCulture, $"MODSEQ ({record.ModSeq})"));
                break;
            case FetchItemKind.Envelope:
                Ascii("ENVELOPE ");
                Raw(Cached(folder, message, CachedField.Envelope, static m => EnvelopeFormatter.Format(m)));
                break;
            case FetchItemKind.Body:
                Ascii("BODY ");
                Raw(Cached(folder, message, CachedField.Body, static m => BodyStructureFormatter.Format(m, extensible: false)));
                break;
            case FetchItemKind.BodyStructure:
                Ascii("BODYSTRUCTURE ");
                Raw(Cached(folder, message, CachedField.BodyStructure, static m => BodyStructureFormatter.Format(m, extensible: true)));
                break;
            case FetchItemKind.Rfc822:
                Ascii("RFC822 ");
                WholeFileLiteral(message.Content);
                break;
            case FetchItemKind.Rfc822Header:
                Ascii("RFC822.HEADER ");
                Literal(BodySectionExtractor.Extract(message.Content, message.Parsed, HeaderSection).Span, binary: false);
                break;
            case FetchItemKind.Rfc822Text:
                Ascii("RFC822.TEXT ");
                Literal(BodySectionExtractor.Extract(message.Content, message.Parsed, TextSection).Span, binary: false);
                break;
            case FetchItemKind.BodySection when item.PartialOffset is null && IsWholeMessage(item.Section!):
                Ascii(item.ToResponseName() + " ");
                WholeFileLiteral(message.Content);
                break;
            case FetchItemKind.BodySection:
                Ascii(item.ToResponseName() + " ");
                Literal(Partial(Section(item.Section!, message), item), binary: false);
                break;
            case FetchItemKind.BinarySection:
                Ascii(item.ToResponseName() + " ");
                Literal(Partial(BodySectionExtractor.ExtractBinary(message.Content, message.Parsed, item.Section!.Part).Span, item), binary: true);
                break;
            case FetchItemKind.BinarySize:
                int size = BodySectionExtractor.ExtractBinary(message.Content, message.Parsed, item.Section!.Part).Length;
                Ascii(item.ToResponseName() + " " + size.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new InvalidOperationException("Unknown fetch item " + item.Kind + ".");
        }
    }

    /// <summary>BODY[] is the file itself, read without parsing; other sections are cut by the extractor.</summary>
    private static ReadOnlySpan<byte> Section(BodySection section, SearchMessage message) =>
        section.Part.Count == 0 && section.Kind == SectionKind.Full
            ? WholeFile(message)
            : BodySectionExtractor.Extract(message.Content, message.Parsed, section).Span;

    private static byte[] WholeFile(SearchMessage message)
    {
        Stream content = message.Content;
        content.Position = 0;
        var bytes = new byte[content.Length];
        content.ReadExactly(bytes);
        return bytes;
    }

    private static bool IsWholeMessage(BodySection section) => section.Part.Count == 0 && section.Kind == SectionKind.Full;

    /// <summary>
    /// The literal of the whole file: what is buffered so far goes to the session, then the file is read straight
    /// into the session's output buffers.
    /// </summary>
    private void WholeFileLiteral(Stream content)
    {
        long length = content.Length;
        Ascii(string.Create(CultureInfo.InvariantCulture, $"{{{length}}}\r\n"));
        _session.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        ImapOutput output = _session.Writer;
        long offset = 0;
        while (offset < length)
        {
            Span<byte> span = output.GetSpan((int)Math.Min(length - offset, CopyChunk));
            if (span.Length > length - offset)
            {
                span = span[..(int)(length - offset)];
            }

            int read = content is FileStream file
                ? RandomAccess.Read(file.SafeFileHandle, span, offset)
                : ReadAt(content, span, offset);
            if (read == 0)
            {
                // The file shrank under us (Maildir files never change in place): the literal cannot be completed.
                throw new IOException("The message file was truncated while it was being sent.");
            }

            output.Advance(read);
            offset += read;
        }
    }

    private static int ReadAt(Stream content, Span<byte> span, long offset)
    {
        content.Position = offset;
        return content.Read(span);
    }

    /// <summary>RFC 9051 §6.4.5 partial: &lt;origin.length&gt;; an origin past the end gives an empty string.</summary>
    private static ReadOnlySpan<byte> Partial(ReadOnlySpan<byte> data, FetchItem item)
    {
        if (item.PartialOffset is not { } offset)
        {
            return data;
        }

        if (offset >= data.Length)
        {
            return [];
        }

        data = data[(int)offset..];
        return item.PartialLength is { } length && length < data.Length ? data[..(int)length] : data;
    }

    private static byte[] Cached(MailFolder folder, SearchMessage message, CachedField field, Func<MimeKit.MimeMessage, byte[]> compute)
    {
        byte[]? cached = folder.GetCached(message.Record.Uid, field);
        if (cached is not null)
        {
            return cached;
        }

        byte[] value = compute(message.Parsed);
        folder.SetCached(message.Record.Uid, field, value);
        return value;
    }

    private void WriteFlags(MessageRecord record)
    {
        bool recent = !_session.Rev2Enabled && _session.Selected!.IsRecent(record.Uid);
        Ascii("FLAGS ");
        ImapWire.WriteFlags(_buffer, record.Flags, record.Keywords, recent);
        if (_session.CondStoreEnabled && !_fetch.Items.Any(static i => i.Kind == FetchItemKind.ModSeq))
        {
            // RFC 7162 §3.2.4: with CONDSTORE on, FLAGS come with their MODSEQ.
            Ascii(string.Create(CultureInfo.InvariantCulture, $" MODSEQ ({record.ModSeq})"));
        }
    }

    /// <summary>A literal; BINARY data containing NUL goes as literal8 (RFC 3516 §4.2).</summary>
    private void Literal(ReadOnlySpan<byte> data, bool binary)
    {
        if (binary && data.Contains((byte)0))
        {
            Ascii("~");
        }

        ImapWire.WriteLiteral(_buffer, data);
    }

    private void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    private void Ascii(string text) => Encoding.ASCII.GetBytes(text, _buffer);
}

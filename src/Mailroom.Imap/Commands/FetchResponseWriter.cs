using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// Writes one <c>* n FETCH (...)</c> response per message, item after item straight into the session's output, which
/// is flushed (waiting for the client to read) whenever 64 KB are pending: a session holds the same few buffers
/// whatever the items ask for (300 × BODY[] of a 5 MB message once took 1.6 GB). Sections are copied from the message
/// file by range, BINARY is decoded a chunk at a time. Everything that can fail for a message (it vanished, its
/// structure, an unknown transfer encoding) is done before its first byte is written, so a failure leaves nothing
/// half-sent; only the file shrinking under a literal can, and that ends the session.
/// </summary>
internal sealed class FetchResponseWriter
{
    private static readonly BodySection HeaderSection = new([], SectionKind.Header, []);
    private static readonly BodySection TextSection = new([], SectionKind.Text, []);

    // Pieces of a file copied at a time: the pipe's segments are this big.
    private const int CopyChunk = 64 * 1024;

    private readonly ImapSession _session;
    private readonly FetchRequest _fetch;
    private readonly bool _flagsRequested;
    private readonly Dictionary<string, (long Size, bool HasNul)> _binarySizes = new(StringComparer.Ordinal);

    public FetchResponseWriter(ImapSession session, FetchRequest fetch)
    {
        _session = session;
        _fetch = fetch;
        _flagsRequested = fetch.Items.Any(static i => i.Kind == FetchItemKind.Flags);
    }

    /// <param name="sequenceNumber">The message's number in the session's view.</param>
    /// <param name="record">The message.</param>
    /// <param name="seenNow">This fetch set \Seen: FLAGS join the response even if not asked for.</param>
    /// <param name="cancellationToken">The command's token (the connection closing cancels it).</param>
    public async ValueTask WriteAsync(int sequenceNumber, MessageRecord record, bool seenNow, CancellationToken cancellationToken)
    {
        SelectedMailbox selected = _session.Selected!;
        using var message = new SearchMessage(selected.Folder, sequenceNumber, record, selected.IsRecent(record.Uid), _session.Context.Limits);
        object?[] prepared;
        try
        {
            prepared = Prepare(message, selected.Folder);
        }
        catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
        {
            throw new MessageUnreadableException("Message " + record.Uid + " could not be described.", ex);
        }

        _binarySizes.Clear();
        if (_flagsRequested || seenNow)
        {
            _session.AnnounceKeywordsOf(record);
        }

        _session.Write(string.Create(CultureInfo.InvariantCulture, $"* {sequenceNumber} FETCH ("));
        for (int i = 0; i < _fetch.Items.Count; i++)
        {
            if (i > 0)
            {
                _session.Write(" "u8);
            }

            await WriteItemAsync(_fetch.Items[i], prepared[i], message, cancellationToken).ConfigureAwait(false);
            await _session.FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }

        if (seenNow && !_flagsRequested)
        {
            _session.Write(" "u8);
            WriteFlags(record);
        }

        _session.Write(")\r\n"u8);
    }

    /// <summary>
    /// Opens the file and computes what can fail, per item: the ENVELOPE/BODY/BODYSTRUCTURE bytes (from the store's
    /// cache when present) and BINARY's range and encoding (<see cref="UnknownCteException"/> for one not known).
    /// </summary>
    private object?[] Prepare(SearchMessage message, MailFolder folder)
    {
        if (_fetch.NeedsContent)
        {
            _ = message.Content;
        }

        var prepared = new object?[_fetch.Items.Count];
        for (int i = 0; i < prepared.Length; i++)
        {
            FetchItem item = _fetch.Items[i];
            MessageLimits limits = _session.Context.Limits;
            prepared[i] = item.Kind switch
            {
                FetchItemKind.Envelope => Cached(folder, message, CachedField.Envelope, m => EnvelopeFormatter.Format(m.Header, limits.MaxEnvelopeAddresses)),
                FetchItemKind.Body => Cached(folder, message, CachedField.Body, m => BodyStructureFormatter.Format(m, extensible: false, limits)),
                FetchItemKind.BodyStructure => Cached(folder, message, CachedField.BodyStructure, m => BodyStructureFormatter.Format(m, extensible: true, limits)),
                FetchItemKind.BinarySection or FetchItemKind.BinarySize =>
                    new BinaryRange(BodySectionLocator.LocateBinary(message.Parsed, message.Content.Length, item.Section!.Part)),
                FetchItemKind.BodySection when !IsWholeMessage(item.Section!) => message.Parsed,
                FetchItemKind.Rfc822Header or FetchItemKind.Rfc822Text => message.Parsed,
                FetchItemKind.Preview => Preview(folder, message, item.Lazy),
                _ => null,
            };
        }

        return prepared;
    }

    private async ValueTask WriteItemAsync(FetchItem item, object? prepared, SearchMessage message, CancellationToken cancellationToken)
    {
        MessageRecord record = message.Record;
        switch (item.Kind)
        {
            case FetchItemKind.Uid:
                _session.Write(string.Create(CultureInfo.InvariantCulture, $"UID {record.Uid}"));
                break;
            case FetchItemKind.Flags:
                WriteFlags(record);
                break;
            case FetchItemKind.InternalDate:
                _session.Write("INTERNALDATE \"" + ImapWire.FormatInternalDate(record.InternalDate) + "\"");
                break;
            case FetchItemKind.Rfc822Size:
                _session.Write(string.Create(CultureInfo.InvariantCulture, $"RFC822.SIZE {record.Size}"));
                break;
            case FetchItemKind.ModSeq:
                _session.WriteModSeqItem(record);
                break;
            case FetchItemKind.EmailId:
                _session.Write("EMAILID (" + _session.Selected!.Folder.GetEmailId(record) + ")");
                break;
            case FetchItemKind.ThreadId:
                // RFC 8474 §5.2: a server that does not keep threads answers NIL (this store keeps none across folders).
                _session.Write("THREADID NIL"u8);
                break;
            case FetchItemKind.SaveDate:
                _session.Write("SAVEDATE \"" + ImapWire.FormatInternalDate(_session.Selected!.Folder.GetSaveDate(record)) + "\"");
                break;
            case FetchItemKind.Preview:
                _session.Write("PREVIEW "u8);
                ImapWire.WriteQuotedOrLiteral(_session.Writer, (string?)prepared);
                break;
            case FetchItemKind.Envelope:
                _session.Write("ENVELOPE "u8);
                _session.Write((byte[])prepared!);
                break;
            case FetchItemKind.Body:
                _session.Write("BODY "u8);
                _session.Write((byte[])prepared!);
                break;
            case FetchItemKind.BodyStructure:
                _session.Write("BODYSTRUCTURE "u8);
                _session.Write((byte[])prepared!);
                break;
            case FetchItemKind.Rfc822:
                _session.Write("RFC822 "u8);
                await WriteRangeAsync(message.Content, 0, message.Content.Length, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.Rfc822Header:
                _session.Write("RFC822.HEADER "u8);
                await WriteSectionAsync(message, (BodyPart)prepared!, HeaderSection, null, null, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.Rfc822Text:
                _session.Write("RFC822.TEXT "u8);
                await WriteSectionAsync(message, (BodyPart)prepared!, TextSection, null, null, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.BodySection when IsWholeMessage(item.Section!):
                // BODY[] is the file itself: no parse.
                _session.Write(item.ToResponseName() + " ");
                (long start, long end) = BodySectionLocator.ApplyPartial(0, message.Content.Length, item.PartialOffset, item.PartialLength);
                await WriteRangeAsync(message.Content, start, end - start, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.BodySection:
                _session.Write(item.ToResponseName() + " ");
                await WriteSectionAsync(message, (BodyPart)prepared!, item.Section!, item.PartialOffset, item.PartialLength, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.BinarySection:
                _session.Write(item.ToResponseName() + " ");
                await WriteBinaryAsync(message.Content, (BinaryRange)prepared!, item, cancellationToken).ConfigureAwait(false);
                break;
            case FetchItemKind.BinarySize:
                (long size, _) = BinarySize(message.Content, (BinaryRange)prepared!, item);
                _session.Write(item.ToResponseName() + " " + size.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new InvalidOperationException("Unknown fetch item " + item.Kind + ".");
        }
    }

    private async ValueTask WriteSectionAsync(SearchMessage message, BodyPart parsed, BodySection section, long? offset, long? length, CancellationToken cancellationToken)
    {
        Stream content = message.Content;
        (long start, long end) = BodySectionLocator.Locate(parsed, content.Length, section);
        if (section.Kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
        {
            // The fields are picked from the header; the header is read whole (MIME parsing holds it anyway).
            byte[] header = new byte[end - start];
            ReadExactly(content, header, start);
            ReadOnlyMemory<byte> fields = HeaderFieldFilter.Filter(header, section.Fields, include: section.Kind == SectionKind.HeaderFields);
            (long from, long to) = BodySectionLocator.ApplyPartial(0, fields.Length, offset, length);
            byte[] picked = fields.Span[(int)from..(int)to].ToArray();
            ReplaceNul(picked);
            ImapWire.WriteLiteral(_session.Writer, picked);
            return;
        }

        (start, end) = BodySectionLocator.ApplyPartial(start, end, offset, length);
        await WriteRangeAsync(content, start, end - start, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 9051 §4.3: a literal holds no NUL (CHAR8 is %x01-ff); only BINARY's literal8 may. A message stored with NULs
    /// (a binary part APPENDed as literal8) shows them as 0x80 in BODY sections, as Dovecot does; BINARY gives them back.
    /// </summary>
    private static void ReplaceNul(Span<byte> bytes) => bytes.Replace((byte)0, (byte)0x80);

    /// <summary>A literal of file bytes, copied from the page cache straight into the output's buffers.</summary>
    private async ValueTask WriteRangeAsync(Stream content, long start, long length, CancellationToken cancellationToken)
    {
        _session.Write(string.Create(CultureInfo.InvariantCulture, $"{{{length}}}\r\n"));
        long done = 0;
        while (done < length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Span<byte> span = _session.Writer.GetSpan((int)Math.Min(length - done, CopyChunk));
            span = span[..(int)Math.Min(span.Length, length - done)];
            int read = ReadAt(content, span, start + done);
            ReplaceNul(span[..read]);
            _session.Writer.Advance(read);
            done += read;
            await _session.FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>BINARY[part]&lt;partial&gt; decoded a chunk at a time; literal8 when the part holds a NUL (RFC 3516 §4.2).</summary>
    private async ValueTask WriteBinaryAsync(Stream content, BinaryRange range, FetchItem item, CancellationToken cancellationToken)
    {
        (long size, bool hasNul) = BinarySize(content, range, item);
        (long skip, long end) = BodySectionLocator.ApplyPartial(0, size, item.PartialOffset, item.PartialLength);
        long length = end - skip;
        _session.Write(string.Create(CultureInfo.InvariantCulture, $"{(hasNul ? "~" : "")}{{{length}}}\r\n"));
        using var reader = new ContentReader(content, range.Start, range.End, range.Encoding);
        while (skip > 0)
        {
            // The output's own buffer serves as scratch for the bytes before the partial's origin.
            int read = reader.Read(_session.Writer.GetSpan(CopyChunk)[..(int)Math.Min(CopyChunk, skip)]);
            skip -= read;
            if (read == 0)
            {
                throw Truncated();
            }
        }

        long done = 0;
        while (done < length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Span<byte> span = _session.Writer.GetSpan(CopyChunk);
            int read = reader.Read(span[..(int)Math.Min(span.Length, length - done)]);
            if (read == 0)
            {
                throw Truncated();
            }

            _session.Writer.Advance(read);
            done += read;
            await _session.FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The decoded size of a BINARY part and whether it holds a NUL: one decoding pass, once per part and message.</summary>
    private (long Size, bool HasNul) BinarySize(Stream content, BinaryRange range, FetchItem item)
    {
        string key = string.Join('.', item.Section!.Part);
        if (_binarySizes.TryGetValue(key, out (long, bool) known))
        {
            return known;
        }

        long size = 0;
        bool hasNul = false;
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            using var reader = new ContentReader(content, range.Start, range.End, range.Encoding);
            int read;
            while ((read = reader.Read(scratch)) > 0)
            {
                size += read;
                hasNul |= scratch.AsSpan(0, read).Contains((byte)0);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }

        _binarySizes[key] = (size, hasNul);
        return (size, hasNul);
    }

    private static bool IsWholeMessage(BodySection section) => section.Part.Count == 0 && section.Kind == SectionKind.Full;

    private static byte[] Cached(MailFolder folder, SearchMessage message, CachedField field, Func<BodyPart, byte[]> compute)
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

    /// <summary>
    /// RFC 8970 PREVIEW, computed once per message and kept in the store's cache; with LAZY, NIL until it is (§3: the
    /// client asks again without LAZY when it wants it now).
    /// </summary>
    private static string? Preview(MailFolder folder, SearchMessage message, bool lazy)
    {
        if (folder.GetCached(message.Record.Uid, CachedField.Preview) is { } cached)
        {
            return Encoding.UTF8.GetString(cached);
        }

        if (lazy)
        {
            return null;
        }

        string preview = PreviewText.Generate(message.Content, message.Parsed);
        folder.SetCached(message.Record.Uid, CachedField.Preview, Encoding.UTF8.GetBytes(preview));
        return preview;
    }

    private static int ReadAt(Stream content, Span<byte> destination, long offset)
    {
        int read;
        try
        {
            read = ContentReader.ReadAt(content, destination, offset);
        }
        catch (IOException ex)
        {
            throw Truncated(ex);
        }

        return read > 0 ? read : throw Truncated();
    }

    private static void ReadExactly(Stream content, byte[] destination, long offset)
    {
        for (int done = 0; done < destination.Length;)
        {
            int read = ContentReader.ReadAt(content, destination.AsSpan(done), offset + done);
            done += read > 0 ? read : throw Truncated();
        }
    }

    // A literal whose size is already on the wire cannot be completed: only ending the session keeps the client in step
    // (what Dovecot does too). Not an IOException, which the session would answer with a tagged NO inside the literal.
    private static InvalidDataException Truncated(Exception? inner = null) =>
        new("The message file changed while it was being sent.", inner);

    private void WriteFlags(MessageRecord record)
    {
        bool recent = !_session.Rev2Enabled && _session.Selected!.IsRecent(record.Uid);
        _session.Write("FLAGS "u8);
        ImapWire.WriteFlags(_session.Writer, record.Flags, record.Keywords, recent);
        if (_session.CondStoreEnabled && !_fetch.Items.Any(static i => i.Kind == FetchItemKind.ModSeq))
        {
            // RFC 7162 §3.2.4: with CONDSTORE on, FLAGS come with their MODSEQ.
            _session.Write(" "u8);
            _session.WriteModSeqItem(record);
        }
    }

    /// <summary>Where a BINARY part's content lies and how it is encoded.</summary>
    private sealed record BinaryRange(long Start, long End, ContentEncoding Encoding)
    {
        public BinaryRange((long Start, long End, ContentEncoding Encoding) located)
            : this(located.Start, located.End, located.Encoding)
        {
        }
    }
}

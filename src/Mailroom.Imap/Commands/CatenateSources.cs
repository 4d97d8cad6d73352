using System.Buffers;
using System.Net;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// Resolves CATENATE's URLs (RFC 4469 §3) to byte ranges of message files in the user's own mailboxes, and copies
/// those ranges into a message being saved a chunk at a time. Each mailbox is opened once and each message file opened
/// and parsed once per command, whatever the number of URLs naming it; everything is released on dispose.
/// </summary>
internal sealed class CatenateSources : IDisposable
{
    private const int CopyChunk = 64 * 1024;

    private readonly ImapSession _session;
    private readonly Dictionary<string, FolderLease?> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Mailbox, uint Uid), Source> _messages = [];

    public CatenateSources(ImapSession session)
    {
        _session = session;
    }

    /// <summary>
    /// The file and range <paramref name="url"/> names, or null when it is not a URL of this server and user, or its
    /// mailbox, UIDVALIDITY, message or part does not exist (the caller answers <c>NO [BADURL]</c>).
    /// </summary>
    public (Stream Content, long Start, long Length)? Resolve(string url)
    {
        if (!ImapUrl.TryParse(url, _session.User!, IsThisServer, out ImapUrl? parsed))
        {
            return null;
        }

        string? mailbox = parsed!.Mailbox ?? _session.Selected?.Folder.Name;
        if (mailbox is null || Open(mailbox) is not { } lease)
        {
            return null;
        }

        FolderView view = lease.Folder.Current;
        if ((parsed.UidValidity is { } validity && validity != view.UidValidity) || view.IndexOfUid(parsed.Uid) < 0)
        {
            return null;
        }

        if (!_messages.TryGetValue((mailbox, parsed.Uid), out Source? source))
        {
            Stream content;
            try
            {
                content = lease.Folder.OpenContent(parsed.Uid);
            }
            catch (MessageGoneException)
            {
                return null;
            }

            source = new Source(content);
            _messages.Add((mailbox, parsed.Uid), source);
        }

        long start = 0;
        long end = source.Content.Length;
        if (parsed.Section is { } text)
        {
            if (!TryParseSection(text, out BodySection? section))
            {
                return null;
            }

            if (source.Parsed is null)
            {
                source.Content.Position = 0;
                source.Parsed = MimeStructureParser.Parse(source.Content, _session.Context.Limits);
            }

            if (!PartResolver.TryResolve(source.Parsed, section!.Part, out _, out BodyPart? encapsulated)
                || (section.Kind is SectionKind.Header or SectionKind.Text && encapsulated is null))
            {
                return null;
            }

            (start, end) = BodySectionLocator.Locate(source.Parsed, source.Content.Length, section);
        }

        if (parsed.PartialOffset is not null)
        {
            (start, end) = BodySectionLocator.ApplyPartial(start, end, parsed.PartialOffset, parsed.PartialLength);
        }

        return (source.Content, start, end - start);
    }

    /// <summary>Copies a resolved range into <paramref name="writer"/> in chunks.</summary>
    public static async ValueTask CopyAsync(Stream content, long start, long length, MessageWriter writer, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            content.Position = start;
            long left = length;
            while (left > 0)
            {
                int read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyChunk, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The message file ended before its known length.");
                }

                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        foreach (Source source in _messages.Values)
        {
            source.Content.Dispose();
        }

        foreach (FolderLease? lease in _folders.Values)
        {
            lease?.Dispose();
        }
    }

    /// <summary>
    /// RFC 9051 §6.4.5 section-spec without HEADER.FIELDS (a URL's section names a part, its header, text or MIME
    /// header): <c>1.2</c>, <c>HEADER</c>, <c>1.TEXT</c>, <c>2.MIME</c>.
    /// </summary>
    private static bool TryParseSection(string text, out BodySection? section)
    {
        section = null;
        string[] components = text.Split('.');
        var part = new List<int>();
        int index = 0;
        while (index < components.Length && components[index].Length > 0 && char.IsAsciiDigit(components[index][0]))
        {
            if (components[index][0] == '0' || !int.TryParse(components[index], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
            {
                return false;
            }

            part.Add(number);
            index++;
        }

        string keyword = string.Join('.', components, index, components.Length - index).ToUpperInvariant();
        SectionKind? kind = keyword switch
        {
            "" when part.Count > 0 => SectionKind.Full,
            "HEADER" => SectionKind.Header,
            "TEXT" => SectionKind.Text,
            "MIME" when part.Count > 0 => SectionKind.Mime,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        section = new BodySection(part, kind.Value, []);
        return true;
    }

    private FolderLease? Open(string mailbox)
    {
        if (!_folders.TryGetValue(mailbox, out FolderLease? lease))
        {
            lease = _session.Context.Mailboxes.OpenFolder(_session.User!, mailbox);
            _folders.Add(mailbox, lease);
        }

        return lease;
    }

    /// <summary>The host of an absolute URL is this server: its host name, localhost, or the address the client reached.</summary>
    private bool IsThisServer(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.Equals(Dns.GetHostName(), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out IPAddress? address) && address.Equals(_session.Client.LocalEndPoint.Address);
    }

    private sealed class Source(Stream content)
    {
        public Stream Content { get; } = content;

        public BodyPart? Parsed { get; set; }
    }
}

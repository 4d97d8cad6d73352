using Mailroom.Imap.Commands;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Imap.Protocol.Sorting;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap;

/// <summary>
/// The IMAP data the store indexes while it saves a message (<see cref="IMessageIndexer"/>): ENVELOPE, BODY and
/// BODYSTRUCTURE exactly as FETCH would compute them from the file, and the SORT/THREAD keys (RFC 5256), all within
/// the configured <see cref="MessageLimits"/>. A message whose content cannot be described gets no entry: FETCH then
/// meets (and reports) the failure itself, as before.
/// </summary>
public sealed class ImapMessageIndexer : IMessageIndexer
{
    private readonly MessageLimits _limits;
    private readonly int _maxReferences;

    public ImapMessageIndexer(IOptions<ImapOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limits = MessageLimits.From(options.Value);
        _maxReferences = options.Value.MaxThreadReferences;
    }

    public byte[]?[]? Describe(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            BodyPart message = MimeStructureParser.Parse(content, _limits);
            var values = new byte[]?[CachedFields.Count];
            values[(int)CachedField.Envelope] = EnvelopeFormatter.Format(message.Header, _limits.MaxEnvelopeAddresses);
            values[(int)CachedField.Body] = BodyStructureFormatter.Format(message, extensible: false, _limits);
            values[(int)CachedField.BodyStructure] = BodyStructureFormatter.Format(message, extensible: true, _limits);
            values[(int)CachedField.SortKeys] = SortKeyExtractor.Extract(message.Header, _maxReferences).Serialize();
            return values;
        }
        catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
        {
            return null;
        }
    }

    public byte[]?[]? DescribeHeader(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            HeaderBlock header = MimeStructureParser.ParseHeader(content, _limits);
            var values = new byte[]?[CachedFields.Count];
            values[(int)CachedField.Envelope] = EnvelopeFormatter.Format(header, _limits.MaxEnvelopeAddresses);
            values[(int)CachedField.SortKeys] = SortKeyExtractor.Extract(header, _maxReferences).Serialize();
            return values;
        }
        catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
        {
            return null;
        }
    }
}

using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>One message as SEARCH and FETCH read it: the file is opened and parsed only when a key or item needs it.</summary>
internal sealed class SearchMessage : ISearchMessage, IDisposable
{
    private readonly MailFolder _folder;
    private readonly MessageLimits _limits;
    private Stream? _content;
    private BodyPart? _parsed;
    private MessageText? _text;

    public SearchMessage(MailFolder folder, int sequenceNumber, MessageRecord record, bool isRecent, MessageLimits limits)
    {
        _folder = folder;
        _limits = limits;
        SequenceNumber = sequenceNumber;
        Record = record;
        IsRecent = isRecent;
    }

    public int SequenceNumber { get; }

    public MessageRecord Record { get; }

    public bool IsRecent { get; }

    public string EmailId => _folder.GetEmailId(Record);

    public DateTimeOffset SaveDate => _folder.GetSaveDate(Record);

    /// <summary>The message file, opened on first use; throws <see cref="MessageGoneException"/> when it vanished.</summary>
    public Stream Content => _content ??= _folder.OpenContent(Record.Uid);

    /// <summary>The message's structure, parsed on first use within <see cref="MessageLimits"/>.</summary>
    public BodyPart Parsed => _parsed ??= MimeStructureParser.Parse(Content, _limits);

    public MessageText Text => _text ??= new MessageText(Content, Parsed, _limits.MaxEnvelopeAddresses);

    public void Dispose() => _content?.Dispose();
}

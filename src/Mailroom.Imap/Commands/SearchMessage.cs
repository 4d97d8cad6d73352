using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;
using MimeKit;

namespace Mailroom.Imap.Commands;

/// <summary>One message as SEARCH and FETCH read it: the file is opened and parsed only when a key or item needs it.</summary>
internal sealed class SearchMessage : ISearchMessage, IDisposable
{
    private readonly MailFolder _folder;
    private Stream? _content;
    private MimeMessage? _parsed;

    public SearchMessage(MailFolder folder, int sequenceNumber, MessageRecord record, bool isRecent)
    {
        _folder = folder;
        SequenceNumber = sequenceNumber;
        Record = record;
        IsRecent = isRecent;
    }

    public int SequenceNumber { get; }

    public MessageRecord Record { get; }

    public bool IsRecent { get; }

    /// <summary>The message file, opened on first use; throws <see cref="MessageGoneException"/> when it vanished.</summary>
    public Stream Content => _content ??= _folder.OpenContent(Record.Uid);

    public MimeMessage Parsed => _parsed ??= ImapMessageParser.Parse(Content);

    public void Dispose()
    {
        _parsed?.Dispose();
        _content?.Dispose();
    }
}

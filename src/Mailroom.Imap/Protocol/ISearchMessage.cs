using Mailroom.Store.Mailboxes;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>One message as SEARCH sees it.</summary>
internal interface ISearchMessage
{
    int SequenceNumber { get; }

    MessageRecord Record { get; }

    bool IsRecent { get; }

    /// <summary>The parsed message; only read when <see cref="SearchRequest.NeedsContent"/> (parse it lazily).</summary>
    MimeMessage Parsed { get; }
}

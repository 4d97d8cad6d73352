using Mailroom.Imap.Protocol.Mime;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Protocol;

/// <summary>One message as SEARCH sees it.</summary>
internal interface ISearchMessage
{
    int SequenceNumber { get; }

    MessageRecord Record { get; }

    bool IsRecent { get; }

    /// <summary>RFC 8474 EMAILID, from the store.</summary>
    string EmailId { get; }

    /// <summary>RFC 8514 save date, from the store.</summary>
    DateTimeOffset SaveDate { get; }

    /// <summary>The message's text; only read when <see cref="SearchRequest.NeedsContent"/> (build it lazily).</summary>
    MessageText Text { get; }
}

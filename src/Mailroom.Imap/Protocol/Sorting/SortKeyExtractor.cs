using Mailroom.Imap.Protocol.Mime;
using MimeKit.Utils;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>Computes <see cref="MessageSortKeys"/> from a message's header fields, with the linear header and address parsers.</summary>
internal static class SortKeyExtractor
{
    // A date is some 30 characters; a longer Date field is not one a sender meant (as SEARCH SENT* reads it).
    private const int MaxDateLength = 256;

    // Only the first address of each list is used.
    private const int AddressesRead = 1;

    public static MessageSortKeys Extract(HeaderBlock header, int maxReferences)
    {
        ArgumentNullException.ThrowIfNull(header);
        string? date = header.Get("Date");
        long sent = date is { Length: <= MaxDateLength } && DateUtils.TryParse(date, out DateTimeOffset value) && value != DateTimeOffset.MinValue
            ? value.UtcTicks
            : MessageSortKeys.NoDate;
        string subject = BaseSubject.Extract(header.Get("Subject"), out bool isReply);
        ImapAddress? from = FirstAddress(header.Get("From"));
        ImapAddress? to = FirstAddress(header.Get("To"));
        ImapAddress? cc = FirstAddress(header.Get("Cc"));

        // RFC 5256 §3 step 1: the References ids; without any, the first In-Reply-To id.
        List<string> references = MessageIds.Parse(header.Get("References"), maxReferences);
        if (references.Count == 0)
        {
            List<string> inReplyTo = MessageIds.Parse(header.Get("In-Reply-To"), int.MaxValue);
            if (inReplyTo.Count > 0)
            {
                references.Add(inReplyTo[0]);
            }
        }

        return new MessageSortKeys(
            sent,
            MessageSortKeys.Fold(subject),
            isReply,
            MessageSortKeys.Fold(from?.Mailbox ?? string.Empty),
            MessageSortKeys.Fold(to?.Mailbox ?? string.Empty),
            MessageSortKeys.Fold(cc?.Mailbox ?? string.Empty),
            MessageSortKeys.Fold(Display(from)),
            MessageSortKeys.Fold(Display(to)),
            MessageIds.First(header.Get("Message-ID")),
            references);
    }

    /// <summary>
    /// The first address of the list, or null. A group's start counts: its mailbox is the group name, as in ENVELOPE
    /// (RFC 9051 §7.5.2), which is what RFC 5256's addr-mailbox reads (and what Dovecot sorts by).
    /// </summary>
    private static ImapAddress? FirstAddress(string? value) =>
        value is null ? null : AddressListParser.Parse(value, AddressesRead) is { Count: > 0 } list ? list[0] : null;

    /// <summary>
    /// RFC 5957 §3: the display-name with encoded words decoded when it has one; otherwise the addr-spec
    /// (mailbox@host, the mailbox alone when the host is missing), or a group's name; "" without an address.
    /// </summary>
    private static string Display(ImapAddress? address)
    {
        if (address is null)
        {
            return string.Empty;
        }

        if (!string.IsNullOrWhiteSpace(address.Name))
        {
            return EncodedWords.Decode(address.Name).Trim();
        }

        return address.Host is null or AddressListParser.MissingDomain ? address.Mailbox ?? string.Empty : address.Mailbox + "@" + address.Host;
    }
}

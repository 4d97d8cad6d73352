namespace Mailroom.Imap.Protocol.Notify;

/// <summary>One event group of NOTIFY SET (RFC 5465 §3): a filter and the events wanted for its mailboxes.</summary>
/// <param name="Filter">Which mailboxes.</param>
/// <param name="Names">The mailboxes of SUBTREE and MAILBOXES (canonical names); empty otherwise.</param>
/// <param name="Events">The events wanted; <see cref="NotifyEvents.None"/> for NONE.</param>
/// <param name="NewMessageFetch">MessageNew's fetch attributes (selected filters only), or null.</param>
internal sealed record NotifyEventGroup(NotifyFilterKind Filter, IReadOnlyList<string> Names, NotifyEvents Events, FetchRequest? NewMessageFetch)
{
    /// <summary>Whether the group is about the selected mailbox.</summary>
    public bool IsSelected => Filter is NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed;
}

namespace Mailroom.Imap.Protocol;

/// <summary>
/// One ENVELOPE address (RFC 9051 §7.5.2): (name adl mailbox host). A group start has only Mailbox (the group's
/// name); a group end has nothing.
/// </summary>
internal sealed record ImapAddress(string? Name, string? Route, string? Mailbox, string? Host);

namespace Mailroom.Core.Filtering;

/// <summary>
/// Send a new message (a vacation reply, RFC 5230) to <paramref name="Recipient"/> from the null envelope sender
/// (RFC 5230 §5.1, RFC 3834 §3.3), so that it is never answered in turn. <paramref name="Message"/> is the complete
/// RFC 5322 message with CRLF line ends.
/// </summary>
public sealed record ReplyAction(string Recipient, ReadOnlyMemory<byte> Message) : FilterAction;

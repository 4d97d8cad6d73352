namespace Mailroom.Queue.Delivery.Remote;

/// <summary>A failure that applies to every recipient of a destination (DNS, connection, MAIL FROM, DATA).</summary>
/// <param name="Status">Deferred or bounced.</param>
/// <param name="Dsn">The enhanced status code.</param>
/// <param name="Text">Postfix's wording for the log and the DSN.</param>
/// <param name="Relay">The <c>relay=</c> field (<c>none</c> when no server was reached).</param>
/// <param name="RemoteReply">The server's reply, for the DSN's Diagnostic-Code; null when none was received.</param>
internal sealed record RemoteFailure(DeliveryStatus Status, string Dsn, string Text, string Relay = "none", string? RemoteReply = null);

namespace Mailroom.Queue;

/// <summary>What happened to one recipient of a remote delivery.</summary>
/// <param name="Status">Sent, deferred or bounced.</param>
/// <param name="Dsn">The RFC 3463 enhanced status code (<c>2.0.0</c>, <c>4.4.1</c>, <c>5.1.1</c>).</param>
/// <param name="Text">The reason as Postfix words it in parentheses after <c>status=</c>, e.g.
/// <c>250 2.0.0 Ok: queued as 1234</c> or <c>connect to mx.example.org[192.0.2.1]:25: Connection refused</c>.</param>
/// <param name="Relay">The <c>relay=</c> field: <c>host[address]:port</c>, or <c>none</c> when no server was reached.</param>
/// <param name="ConnectionSetup">Time spent on DNS, connection, greeting, EHLO and TLS (the third <c>delays=</c> figure).</param>
/// <param name="Transmission">Time spent transmitting the message (the fourth <c>delays=</c> figure).</param>
public sealed record RemoteDeliveryResult(
    DeliveryStatus Status,
    string Dsn,
    string Text,
    string Relay,
    TimeSpan ConnectionSetup,
    TimeSpan Transmission)
{
    /// <summary>
    /// The remote server's reply that decided this outcome (<c>550 5.1.1 &lt;x@y&gt;: user unknown</c>), for a
    /// DSN's <c>Diagnostic-Code</c>; null when no server answered.
    /// </summary>
    public string? RemoteReply { get; init; }

    /// <summary>
    /// Delivered to a next hop that does not support DSN (RFC 3461 §6.2.1): when the sender asked for
    /// NOTIFY=SUCCESS, the queue answers with a "relayed" notice since the next hop will not.
    /// </summary>
    public bool RelayedWithoutDsn { get; init; }
}

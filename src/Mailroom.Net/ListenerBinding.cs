using System.Net;

namespace Mailroom.Net;

/// <summary>
/// One named listener: the endpoints to bind (for "any address" the host passes both <c>0.0.0.0</c> and
/// <c>[::]</c>), whether TLS starts before the protocol (SMTPS 465, POP3S 995, IMAPS 993), and the protocol handler.
/// </summary>
public sealed record ListenerBinding(string Name, IReadOnlyList<IPEndPoint> EndPoints, bool ImplicitTls, IConnectionHandler Handler)
{
    /// <summary>
    /// The configuration key that sets this listener's port (e.g. <c>Smtp:Port</c>), named in the start-up error when
    /// the port cannot be bound. Null: the error says to configure a port above 1023 without naming a key.
    /// </summary>
    public string? PortSettingKey { get; init; }
}

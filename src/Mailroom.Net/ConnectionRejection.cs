namespace Mailroom.Net;

/// <summary>Why a connection limit refused a client.</summary>
public enum ConnectionRejection
{
    /// <summary>The server already has <see cref="NetOptions.MaxConnections"/> connections.</summary>
    TooManyConnections,

    /// <summary>The client address already has <see cref="NetOptions.MaxConnectionsPerIp"/> connections.</summary>
    TooManyConnectionsFromAddress,
}

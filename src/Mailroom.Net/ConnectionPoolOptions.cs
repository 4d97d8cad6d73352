namespace Mailroom.Net;

/// <summary>
/// Limits of one listener class (<c>Net:Pools:Mta</c>, <c>Submission</c>, <c>Pop3</c>, <c>Imap</c>, <c>ManageSieve</c>); a value left unset
/// takes the Net-wide one (<see cref="NetOptions.MaxConnections"/>, <see cref="NetOptions.MaxConnectionsPerIp"/>).
/// </summary>
public sealed class ConnectionPoolOptions
{
    /// <summary>Simultaneous connections of this class. Default: <c>Net:MaxConnections</c>.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Simultaneous connections of this class from one client (IPv4 address or IPv6 /64); 0: no limit. Default: <c>Net:MaxConnectionsPerIp</c>.</summary>
    public int? MaxConnectionsPerIp { get; set; }
}

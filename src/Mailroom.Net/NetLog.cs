using System.Net;
using Microsoft.Extensions.Logging;

namespace Mailroom.Net;

/// <summary>Connection-level log events of the network layer, with fixed event ids per area (1xx host, 2xx TLS, 3xx session).</summary>
internal static partial class NetLog
{
    [LoggerMessage(100, LogLevel.Information, "Listening on {EndPoint} ({Listener})")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, string listener);

    [LoggerMessage(101, LogLevel.Debug, "Connection {ConnectionId} accepted on {Listener} from {RemoteEndPoint}")]
    public static partial void ConnectionAccepted(ILogger logger, long connectionId, string listener, IPEndPoint remoteEndPoint);

    [LoggerMessage(102, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(103, LogLevel.Warning, "Connection {ConnectionId} on {Listener} from {RemoteAddress} refused: {Reason}")]
    public static partial void ConnectionRejected(ILogger logger, long connectionId, string listener, IPAddress remoteAddress, ConnectionRejection reason);

    [LoggerMessage(104, LogLevel.Error, "Accepting connections on {EndPoint} ({Listener}) failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, IPEndPoint endPoint, string listener);

    [LoggerMessage(105, LogLevel.Error, "Connection {ConnectionId} on {Listener}: the connection handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, long connectionId, string listener);

    [LoggerMessage(106, LogLevel.Warning, "Shutdown timeout elapsed; aborting {Count} connections")]
    public static partial void AbortingConnections(ILogger logger, int count);

    [LoggerMessage(107, LogLevel.Information, "Connection {ConnectionId} from {RemoteEndPoint} on {Listener}: TLS handshake failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string listener, string reason);

    [LoggerMessage(108, LogLevel.Information, "Stopped listening on {Listener}")]
    public static partial void StoppedListening(ILogger logger, string listener);

    [LoggerMessage(109, LogLevel.Warning, "Not listening on {EndPoint} ({Listener}): IPv6 is not available on this host ({Error})")]
    public static partial void IPv6Unavailable(ILogger logger, IPEndPoint endPoint, string listener, System.Net.Sockets.SocketError error);

    [LoggerMessage(200, LogLevel.Warning, "Generated a self-signed TLS certificate for {HostName} in {Directory}, valid until {NotAfter:u}; set Net:Tls:CertificateFile and Net:Tls:KeyFile to use a trusted one")]
    public static partial void SelfSignedGenerated(ILogger logger, string hostName, string directory, DateTime notAfter);

    [LoggerMessage(201, LogLevel.Information, "Loaded TLS certificate {Subject} ({Thumbprint}) from {Path}, valid until {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string thumbprint, string path, DateTime notAfter);

    [LoggerMessage(202, LogLevel.Warning, "Reloading the TLS certificate from {Path} failed; keeping the current one")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(300, LogLevel.Error, "Connection {ConnectionId} on {Listener} from {RemoteEndPoint}: session failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, long connectionId, string listener, IPEndPoint remoteEndPoint);

    [LoggerMessage(301, LogLevel.Information, "Connection {ConnectionId} from {RemoteEndPoint} on {Listener}: STARTTLS handshake failed: {Reason}")]
    public static partial void StartTlsFailed(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string listener, string reason);

    [LoggerMessage(302, LogLevel.Warning, "Connection {ConnectionId}: cannot write the session trace {Path}: {Reason}")]
    public static partial void TraceFailed(ILogger logger, long connectionId, string path, string reason);
}

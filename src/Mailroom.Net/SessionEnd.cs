namespace Mailroom.Net;

/// <summary>Why a line session ended, passed to <c>LineSession.OnEndAsync</c> for the disconnect log line.</summary>
public enum SessionEnd
{
    /// <summary>A handler returned <see cref="SessionAction.Close"/>.</summary>
    ClientQuit,

    /// <summary>The client closed the connection or the transport failed.</summary>
    ClientDisconnected,

    /// <summary>No line arrived within the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The server is shutting down (or aborted the connection after the shutdown timeout).</summary>
    Shutdown,

    /// <summary>The STARTTLS handshake failed or timed out.</summary>
    TlsFailed,

    /// <summary>A handler threw an unexpected exception (logged once).</summary>
    Error,
}

namespace Mailroom.Net;

/// <summary>What the session loop does after a line handler returns.</summary>
public enum SessionAction
{
    /// <summary>Read the next line.</summary>
    Continue,

    /// <summary>Flush the reply and end the session (QUIT, LOGOUT, fatal protocol error).</summary>
    Close,

    /// <summary>Flush the reply, discard buffered plaintext, run the TLS handshake, then call <c>OnTlsStarted</c>.</summary>
    StartTls,
}

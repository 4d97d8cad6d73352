namespace Mailroom.Pop3.Server;

/// <summary>What a logged-in session did, for Dovecot's logout line (<c>top=%t/%p, retr=%r/%b, del=%d/%m, size=%s</c>).</summary>
internal sealed class SessionCounters
{
    public int TopCount { get; set; }

    public long TopBytes { get; set; }

    public int RetrCount { get; set; }

    public long RetrBytes { get; set; }

    /// <summary>Messages actually removed at QUIT (0 when the session did not reach the UPDATE state).</summary>
    public int Deleted { get; set; }
}

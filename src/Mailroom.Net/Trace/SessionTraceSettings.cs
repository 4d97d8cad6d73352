namespace Mailroom.Net.Trace;

/// <summary>
/// Which sessions are traced and where their transcripts go (the <c>Log:Trace*</c> settings, Postfix's
/// <c>debug_peer_list</c> and Dovecot's rawlog in one).
/// </summary>
/// <param name="Peers">Client addresses or CIDRs, matched at connect, and user names, matched once the session logs in.</param>
/// <param name="Directory">Where the transcripts are written (created 0700).</param>
/// <param name="MaxFileSize">Bytes of one session's transcript; past it the transcript says so and stops.</param>
/// <param name="MaxFiles">Transcripts kept; the oldest are removed as new sessions start.</param>
public sealed record SessionTraceSettings(IReadOnlyList<string> Peers, string Directory, long MaxFileSize, int MaxFiles)
{
    /// <summary>Smallest <see cref="MaxFileSize"/>: room for a greeting, a login and a few commands.</summary>
    public const long MinFileSize = 4096;

    /// <summary>Default <see cref="MaxFileSize"/>: bodies are summarised, so a megabyte holds thousands of commands.</summary>
    public const long DefaultMaxFileSize = 1024 * 1024;

    /// <summary>Default <see cref="MaxFiles"/>: with the default size, at most 100 MiB of transcripts.</summary>
    public const int DefaultMaxFiles = 100;

    /// <summary>Nothing is traced.</summary>
    public static SessionTraceSettings None { get; } = new([], string.Empty, DefaultMaxFileSize, DefaultMaxFiles);
}

namespace Mailroom.Logging;

/// <summary>Where the mail log goes (configuration section <c>Log</c>).</summary>
public sealed class MaillogOptions
{
    /// <summary>
    /// The mail log file. Default: <c>&lt;data&gt;/log/maillog</c>, so that <c>mailroom log -f</c> and
    /// <c>tail -f</c> find it without configuration.
    /// </summary>
    public string? MaillogPath { get; set; }

    /// <summary>Also write mail-log lines to the console (default true: an admin running <c>serve</c> sees them).</summary>
    public bool Console { get; set; } = true;

    /// <summary>
    /// The host name in each line's syslog prefix. Default: the machine's host name, as syslog writes it.
    /// </summary>
    public string? HostName { get; set; }

    /// <summary>
    /// The syslog tag's program part before the slash (<c>mailroom/smtpd</c>). Default <c>mailroom</c>; pflogsumm
    /// reads it with <c>--syslog-name=mailroom</c>.
    /// </summary>
    public string SyslogName { get; set; } = "mailroom";

    /// <summary>
    /// Client addresses or CIDRs, and user names, whose sessions (SMTP, POP3, IMAP, ManageSieve) are written line by
    /// line to <see cref="TraceDirectory"/> (Postfix's <c>debug_peer_list</c>, Dovecot's rawlog). An address matches at
    /// connect, a user name from the moment the session logs in. Default: none.
    /// </summary>
    public List<string> TracePeers { get; set; } = [];

    /// <summary>Where session transcripts go. Default: <c>&lt;data&gt;/log/trace</c> (created 0700, files 0600).</summary>
    public string? TraceDirectory { get; set; }

    /// <summary>Bytes of one session's transcript before it stops (default 1 MiB; bodies are summarised, so that is thousands of commands).</summary>
    public long TraceMaxFileSize { get; set; } = Mailroom.Net.Trace.SessionTraceSettings.DefaultMaxFileSize;

    /// <summary>Transcripts kept; the oldest are removed (default 100: at most 100 MiB with the default size).</summary>
    public int TraceMaxFiles { get; set; } = Mailroom.Net.Trace.SessionTraceSettings.DefaultMaxFiles;

    /// <summary>The tracer's settings, or an error naming the key.</summary>
    public Mailroom.Net.Trace.SessionTraceSettings TraceSettings()
    {
        if (TraceMaxFileSize < Mailroom.Net.Trace.SessionTraceSettings.MinFileSize)
        {
            throw new Mailroom.Configuration.ConfigurationException($"Log:TraceMaxFileSize: must be at least {Mailroom.Net.Trace.SessionTraceSettings.MinFileSize} bytes");
        }

        if (TraceMaxFiles < 1)
        {
            throw new Mailroom.Configuration.ConfigurationException("Log:TraceMaxFiles: must be at least 1");
        }

        string directory = TraceDirectory
            ?? Path.Combine(Path.GetDirectoryName(MaillogPath) ?? "log", "trace");
        return new Mailroom.Net.Trace.SessionTraceSettings([.. TracePeers], directory, TraceMaxFileSize, TraceMaxFiles);
    }
}

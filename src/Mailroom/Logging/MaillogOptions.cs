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
}

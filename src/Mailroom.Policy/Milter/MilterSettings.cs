using System.ComponentModel.DataAnnotations;

namespace Mailroom.Policy.Milter;

/// <summary>One milter (an entry of <c>Smtp:Milters</c> or <c>Smtp:SubmissionMilters</c>).</summary>
public sealed class MilterSettings
{
    /// <summary><c>inet:host:port</c> (host a name, an IPv4 address or <c>[IPv6]</c>) or <c>unix:/path/to/socket</c>, Postfix's notation.</summary>
    [Required]
    public string Address { get; set; } = "";

    /// <summary>Time to connect and negotiate. Default 30 s (Postfix's milter_connect_timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time for the milter to answer each envelope command. Default 30 s (milter_command_timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time for the milter to take each header or body chunk and to answer the end of the message. Default 300 s (milter_content_timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan ContentTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>When the milter is down, times out or misbehaves. Default <see cref="MilterDefaultAction.Tempfail"/> (Postfix's milter_default_action).</summary>
    public MilterDefaultAction DefaultAction { get; set; } = MilterDefaultAction.Tempfail;
}

using System.ComponentModel.DataAnnotations;
using Mailroom.Net;

namespace Mailroom.Sieve.ManageSieve;

/// <summary>ManageSieve server settings (configuration section <c>ManageSieve</c>). Script quotas are in <see cref="SieveOptions"/>.</summary>
public sealed class ManageSieveOptions
{
    public const string SectionName = "ManageSieve";

    /// <summary>ManageSieve port. Default 4190 (RFC 5804 §1.8). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Port { get; set; } = 4190;

    /// <summary>Addresses to listen on. Default all IPv4 and IPv6 addresses.</summary>
    [IPAddressList]
    public IList<string> BindAddresses { get; } = ["0.0.0.0", "::"];

    /// <summary>
    /// Longest command line in bytes, excluding CRLF and literals. Default 8192: script names and quoted strings are short
    /// (RFC 5804 §4 limits a quoted string to 1024 octets); scripts come as literals, bounded by <c>Sieve:MaxScriptSize</c>.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>Wait for the next command after login. Default 30 minutes, the least RFC 5804 §1.2 allows.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The whole dialogue before login (STARTTLS and failed attempts included), from the connection's start: an absolute
    /// deadline, so no pattern of reads keeps an unauthenticated connection past it, as <c>Imap:LoginTimeout</c>; also
    /// the wait for each command before login. Default 1 minute (RFC 5804 §1.2 allows less before authentication).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed commands (bad syntax, wrong state, failed logins) before <c>BYE</c>; after login, in a row. Default 10.</summary>
    [Range(1, 1000)]
    public int MaxErrors { get; set; } = 10;

    /// <summary>Allow AUTHENTICATE before STARTTLS from any address. Default false (DESIGN invariant 3).</summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>Allow AUTHENTICATE before STARTTLS from loopback. Default true, as for POP3 and IMAP.</summary>
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
}

using System.ComponentModel.DataAnnotations;
using Mailroom.Net;

namespace Mailroom.Pop3;

/// <summary>POP3 server settings (configuration section <c>Pop3</c>).</summary>
public sealed class Pop3Options
{
    public const string SectionName = "Pop3";

    /// <summary>POP3 port. Default 110 (RFC 1939 §3). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Port { get; set; } = 110;

    /// <summary>POP3 over implicit TLS. Default 995 (RFC 8314 §7.3). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Pop3sPort { get; set; } = 995;

    /// <summary>Addresses to listen on. Default all IPv4 and IPv6 addresses (<c>0.0.0.0</c>, <c>::</c>).</summary>
    [IPAddressList]
    public IList<string> BindAddresses { get; } = ["0.0.0.0", "::"];

    /// <summary>
    /// Longest command line in bytes, excluding CRLF. Default 1024: RFC 2449 §4 limits commands to 255 octets, but
    /// an AUTH PLAIN response (RFC 5034 §4) may be longer than that, and a line this short costs nothing to buffer.
    /// </summary>
    [Range(255, 65536)]
    public int MaxLineLength { get; set; } = 1024;

    /// <summary>
    /// Deadline for each command line after login, absolute from when the server starts waiting for it. Default 10
    /// minutes, the least RFC 1939 §3 allows for the inactivity autologout timer (Dovecot also waits 10 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deadline for the whole dialogue before login, from the connection until USER/PASS or AUTH succeeds (STLS and
    /// failed attempts included): absolute, so a client trickling bytes or sending NOOPs cannot hold an
    /// unauthenticated slot. Default 60 s, as <c>Imap:LoginTimeout</c>: a mail client logs in at once, and a person
    /// typing at telnet manages USER and PASS in a minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>-ERR</c> replies before the session is ended with <c>-ERR Too many bad commands.</c>: all of them before login,
    /// and after login those in a row (a command that succeeds resets the count, as in Dovecot's pop3, so that a long
    /// session survives a few harmless errors such as a RETR of a deleted message). Default 10, as
    /// <c>Smtp:MaxErrors</c>: no well-behaved client gets near it, and an abuser wastes little.
    /// </summary>
    [Range(1, 1000)]
    public int MaxErrors { get; set; } = 10;

    /// <summary>
    /// Allow USER/PASS and AUTH on connections without TLS from any address. Default false (DESIGN invariant 3,
    /// Dovecot's <c>disable_plaintext_auth = yes</c>): passwords never cross the network in clear.
    /// </summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>
    /// Allow USER/PASS and AUTH without TLS from loopback clients. Default true: the password never leaves the
    /// machine, and the classic telnet test on the mail host works (Dovecot treats local connections as secured).
    /// </summary>
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
}

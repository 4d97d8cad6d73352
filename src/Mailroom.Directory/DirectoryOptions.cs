using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>Options of the directory (configuration section <c>Directory</c>).</summary>
public sealed class DirectoryOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Directory";

    /// <summary>
    /// Path of the SQLite database. Default <c>data/mailroom.db</c> (relative to the working directory); the
    /// host sets the absolute path <c>&lt;data dir&gt;/mailroom.db</c> so the server and the CLI verbs share one file.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string DatabasePath { get; set; } = Path.Combine("data", "mailroom.db");

    /// <summary>
    /// How many alias rewrites one recipient may go through. Default 10: deep enough for real forwarding
    /// chains, and it bounds the work an alias loop or a very long chain can cause (Postfix's
    /// <c>virtual_alias_recursion_limit</c> has the same default of 1000 for a far cheaper table lookup).
    /// </summary>
    [Range(1, 100)]
    public int AliasMaxDepth { get; set; } = 10;

    /// <summary>
    /// The plus-address delimiter characters (Postfix's <c>recipient_delimiter</c>): <c>samt+lists@example.org</c>
    /// reaches <c>samt@example.org</c> when no alias or mailbox has the full address. Set by the host from
    /// <c>Delivery:RecipientDelimiter</c> (default <c>+</c>, validated there); empty turns plus-addressing off.
    /// </summary>
    public string RecipientDelimiter { get; set; } = "+";

    /// <summary>
    /// How long a successful password verification is remembered. Default 60 s: mail clients log in again
    /// every few minutes (POP3 polling, IMAP reconnects), and bcrypt/Argon2 cost ~50-500 ms of CPU each; a
    /// minute keeps a changed or disabled account effective quickly. Zero disables the cache.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AuthCacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Maximum number of remembered verifications. Default 10,000 (about 1 MB): comfortably above the number
    /// of active accounts of a single-node server, and it bounds memory against login floods.
    /// </summary>
    [Range(0, 1_000_000)]
    public int AuthCacheSize { get; set; } = 10_000;

    /// <summary>
    /// bcrypt cost (log2 of rounds) for new passwords (<c>{BLF-CRYPT}$2y$NN$</c>). Default 10: about 50-100 ms
    /// per verification on current hardware, the OWASP minimum, and Dovecot/PHP's default; each +1 doubles it.
    /// </summary>
    [Range(4, 31)]
    public int BcryptCost { get; set; } = 10;

    /// <summary>What checking one password may cost: password length, hash parameters, checks at once (<c>Directory:PasswordLimits</c>).</summary>
    [ValidateObjectMembers]
    public Passwords.PasswordLimitsOptions PasswordLimits { get; set; } = new();

    /// <summary>
    /// How long a statement waits for another process's write lock (the CLI and the server share the file)
    /// before the directory reports itself unavailable. Default 5 s: admin writes take milliseconds, and a
    /// longer wait would hold an SMTP RCPT past client patience.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Which database holds the directory: <c>Sqlite</c> (default: the embedded file <see cref="DatabasePath"/>,
    /// nothing to install), <c>MySql</c> (MariaDB/MySQL) or <c>PostgreSql</c>, the last two reached through
    /// <see cref="ConnectionString"/> and read as postfixadmin 3.x wrote them.
    /// </summary>
    public DirectoryProvider Provider { get; set; } = DirectoryProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string for <c>MySql</c> (MySqlConnector syntax, e.g.
    /// <c>Server=db;Database=postfix;User ID=mailroom;Password=...</c>) or <c>PostgreSql</c> (Npgsql syntax, e.g.
    /// <c>Host=db;Database=postfix;Username=mailroom;Password=...</c>). Default empty; required for those providers.
    /// Timeouts set here are replaced by <see cref="ConnectTimeout"/> and <see cref="CommandTimeout"/>.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How long opening a connection to MySQL/PostgreSQL may take. Default 3 s: a healthy server on the LAN
    /// answers in milliseconds, and an SMTP client waiting on RCPT should get <c>451 4.3.0</c> well before its
    /// own 5-minute RCPT timeout (RFC 5321 §4.5.3.2) rather than a hung session.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long one lookup statement may run. Default 5 s: directory queries are single-row primary-key
    /// lookups; a statement this slow means the database is in trouble and a temporary failure is the answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a found lookup result (domain, recipient, password hash, quota) is reused. Default (unset):
    /// 10 s for MySQL/PostgreSQL — a burst of RCPTs or logins costs one round trip, and an admin's change is
    /// seen within seconds — and 0 (no cache) for SQLite, whose lookups are local file reads.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? CacheTtl { get; set; }

    /// <summary>
    /// How long a "not found" result (unknown user or domain) is reused. Default (unset): 5 s for
    /// MySQL/PostgreSQL, shorter than <see cref="CacheTtl"/> so a newly added user receives mail quickly while
    /// dictionary attacks on RCPT still do not reach the database once per guess; 0 for SQLite.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? NegativeCacheTtl { get; set; }

    /// <summary>
    /// Maximum number of cached lookup results. Default 10,000 (a few MB): more than the active recipients of
    /// a single node, and it bounds memory when a spammer tries thousands of addresses.
    /// </summary>
    [Range(0, 1_000_000)]
    public int CacheSize { get; set; } = 10_000;

    /// <summary>
    /// What local delivery does with a message that would take a mailbox over its quota (<c>mailbox.quota</c>,
    /// bytes, 0 = unlimited): <c>Bounce</c> (default: 5.2.2 "Mailbox full", Postfix virtual(8)'s and Dovecot's
    /// default, so the sender learns at once) or <c>Defer</c> (4.2.2: retried until the user makes room or the
    /// message expires, as with Dovecot's <c>quota_full_tempfail = yes</c>).
    /// </summary>
    public QuotaExceededAction QuotaExceeded { get; set; } = QuotaExceededAction.Bounce;

    /// <summary>
    /// SQL of the lookups, each overridable for schemas other than postfixadmin's (like Dovecot's
    /// <c>password_query</c> and Postfix's <c>virtual_*_maps</c>). Unset keys use postfixadmin's queries.
    /// </summary>
    public DirectoryQueryOptions Queries { get; set; } = new();

    /// <summary>The cache lifetime in effect for found results.</summary>
    internal TimeSpan EffectiveCacheTtl => CacheTtl ?? (Provider == DirectoryProvider.Sqlite ? TimeSpan.Zero : TimeSpan.FromSeconds(10));

    /// <summary>The cache lifetime in effect for "not found" results.</summary>
    internal TimeSpan EffectiveNegativeCacheTtl => NegativeCacheTtl ?? (Provider == DirectoryProvider.Sqlite ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
}

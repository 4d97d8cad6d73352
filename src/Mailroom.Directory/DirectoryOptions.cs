using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// How long a statement waits for another process's write lock (the CLI and the server share the file)
    /// before the directory reports itself unavailable. Default 5 s: admin writes take milliseconds, and a
    /// longer wait would hold an SMTP RCPT past client patience.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

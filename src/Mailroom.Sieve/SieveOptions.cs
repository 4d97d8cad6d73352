using System.ComponentModel.DataAnnotations;

namespace Mailroom.Sieve;

/// <summary>Sieve filtering at delivery, script storage and its quotas (configuration section <c>Sieve</c>).</summary>
public sealed class SieveOptions
{
    public const string SectionName = "Sieve";

    /// <summary>
    /// Run the users' scripts (and the site's before/after scripts) at local delivery. Default true: a user without a
    /// script costs one file check per delivery.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Site scripts run before each user's script (Pigeonhole's <c>sieve_before</c>): files, or directories whose
    /// <c>*.sieve</c> files run in name order. Default none. Typical use: file spam into Junk for everybody.
    /// </summary>
    public IList<string> Before { get; } = [];

    /// <summary>Site scripts run after the user's script while the message is still to be kept (<c>sieve_after</c>). Default none.</summary>
    public IList<string> After { get; } = [];

    /// <summary>Where <c>include :global "name"</c> finds <c>name.sieve</c> (<c>sieve_global</c>). Default none: such includes fail.</summary>
    public string? GlobalDirectory { get; set; }

    /// <summary>Largest script in bytes (<c>sieve_max_script_size</c>, ManageSieve QUOTA/MAXSIZE). Default 1 MiB, as Pigeonhole.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxScriptSize { get; set; } = 1024 * 1024;

    /// <summary>Scripts one user may keep (<c>sieve_quota_max_scripts</c>, QUOTA/MAXSCRIPTS). Default 100; 0: no limit.</summary>
    [Range(0, 100_000)]
    public int MaxScripts { get; set; } = 100;

    /// <summary>Bytes of scripts one user may keep (<c>sieve_quota_max_storage</c>, QUOTA). Default 10 MiB; 0: no limit.</summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MaxStorage { get; set; } = 10 * 1024 * 1024;

    /// <summary>Actions one execution may take (<c>sieve_max_actions</c>). Default 32, as Pigeonhole.</summary>
    [Range(1, 1000)]
    public int MaxActions { get; set; } = 32;

    /// <summary>Redirects one execution may send (<c>sieve_max_redirects</c>, ManageSieve MAXREDIRECTS). Default 4, as Pigeonhole.</summary>
    [Range(0, 100)]
    public int MaxRedirects { get; set; } = 4;

    /// <summary>How deep includes may nest. Default 10 (<c>sieve_include_max_nesting_depth</c>).</summary>
    [Range(1, 100)]
    public int MaxIncludeDepth { get; set; } = 10;

    /// <summary>Scripts one execution may include in all. Default 255 (<c>sieve_include_max_includes</c>).</summary>
    [Range(1, 10_000)]
    public int MaxIncludes { get; set; } = 255;

    /// <summary>Variables per script (and global ones). Default 255 (<c>sieve_variables_max_scope_size</c>).</summary>
    [Range(1, 100_000)]
    public int MaxVariables { get; set; } = 255;

    /// <summary>Bytes of one variable's value; longer values are cut. Default 4096 (<c>sieve_variables_max_variable_size</c>).</summary>
    [Range(64, 1024 * 1024)]
    public int MaxVariableSize { get; set; } = 4096;

    /// <summary>
    /// Commands and comparisons one execution may perform; past it the run fails and the message is kept. Default one
    /// million: far above any real script, and a bound on the CPU a hostile script and message can take (a script has no
    /// loops, so this bounds the matching work of every header and key).
    /// </summary>
    [Range(typeof(long), "1000", "1000000000")]
    public long MaxSteps { get; set; } = 1_000_000;

    /// <summary>Vacation period without <c>:days</c>/<c>:seconds</c>. Default 7 days (RFC 5230 §4.1's suggestion, Pigeonhole's default).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan VacationDefaultPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Shortest vacation period a script may ask for. Default 1 day (RFC 5230 §4.1; Pigeonhole's default); 0 allows a reply to every message.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan VacationMinPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Longest vacation period. Default 365 days: how long a reply record is kept at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan VacationMaxPeriod { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long a <c>duplicate</c> test remembers an id without <c>:seconds</c>. Default 14 days (<c>sieve_duplicate_default_period</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DuplicateDefaultPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Longest <c>:seconds</c> a duplicate test may ask for. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DuplicateMaxPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a redirect is remembered so a redelivered message is not forwarded twice. Default 12 hours (Pigeonhole's).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan RedirectDuplicatePeriod { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Where spamtest reads the spam scanner's verdict; spamtest and spamtestplus are offered only when set.</summary>
    public ScoreTestOptions SpamTest { get; set; } = new();

    /// <summary>Where virustest reads the virus scanner's verdict; virustest is offered only when set.</summary>
    public ScoreTestOptions VirusTest { get; set; } = new();
}

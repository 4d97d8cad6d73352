namespace Mailroom.Sieve.Runtime;

/// <summary>The limits and site choices a run obeys (from <see cref="SieveOptions"/>; tests build their own).</summary>
public sealed class SieveRuntimeSettings
{
    /// <summary>Actions one execution may add (Pigeonhole's <c>sieve_max_actions</c>).</summary>
    public int MaxActions { get; init; } = 32;

    /// <summary>Redirects one execution may add (<c>sieve_max_redirects</c>, ManageSieve's MAXREDIRECTS).</summary>
    public int MaxRedirects { get; init; } = 4;

    /// <summary>Scripts one execution may include in all (<c>sieve_include_max_includes</c>).</summary>
    public int MaxIncludes { get; init; } = 255;

    /// <summary>How deep includes may nest (<c>sieve_include_max_nesting_depth</c>).</summary>
    public int MaxIncludeDepth { get; init; } = 10;

    /// <summary>Variables per namespace (<c>sieve_variables_max_scope_size</c>).</summary>
    public int MaxVariables { get; init; } = 255;

    /// <summary>Bytes of one variable's value (<c>sieve_variables_max_variable_size</c>).</summary>
    public int MaxVariableSize { get; init; } = 4096;

    /// <summary>Commands and comparisons one execution may perform: bounds its CPU time whatever the script and message.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>The plus-address delimiter characters (Postfix's <c>recipient_delimiter</c>); empty: none.</summary>
    public string RecipientDelimiter { get; init; } = "+";

    public TimeSpan VacationDefaultPeriod { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan VacationMinPeriod { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan VacationMaxPeriod { get; init; } = TimeSpan.FromDays(365);

    public TimeSpan DuplicateDefaultPeriod { get; init; } = TimeSpan.FromDays(14);

    public TimeSpan DuplicateMaxPeriod { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How spamtest reads the scanner's verdict; null: spamtest is not available.</summary>
    public ScoreTestSettings? SpamTest { get; init; }

    /// <summary>How virustest reads the scanner's verdict; null: virustest is not available.</summary>
    public ScoreTestSettings? VirusTest { get; init; }

    /// <summary>This host's name (RFC 5183 <c>domain</c> and <c>host</c>, the vacation reply's Message-ID).</summary>
    public string HostName { get; init; } = "localhost";
}

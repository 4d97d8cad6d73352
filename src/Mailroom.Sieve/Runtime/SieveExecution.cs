namespace Mailroom.Sieve.Runtime;

/// <summary>The state shared by every script run for one message: the result, globals, flags, budgets, includes.</summary>
internal sealed class SieveExecution
{
    private long _steps;

    public SieveExecution(SieveRuntimeSettings settings, SieveMessage message, SieveEnvelope envelope, ISieveHost host)
    {
        Settings = settings;
        Message = message;
        Envelope = envelope;
        Host = host;
        Result = new SieveResult(settings.MaxActions, settings.MaxRedirects);
        Globals = new VariableScope(settings.MaxVariables, settings.MaxVariableSize);
    }

    public SieveRuntimeSettings Settings { get; }

    public SieveMessage Message { get; }

    public SieveEnvelope Envelope { get; }

    public ISieveHost Host { get; }

    public SieveResult Result { get; }

    /// <summary>Variables declared <c>global</c> (RFC 6609 §3.4).</summary>
    public VariableScope Globals { get; }

    /// <summary>The imap4flags internal variable (RFC 5232 §3).</summary>
    public List<string> InternalFlags { get; set; } = [];

    /// <summary>Records to write when the actions succeed (duplicate tracking).</summary>
    public List<TrackingMark> Marks { get; } = [];

    /// <summary>Results of duplicate tests already evaluated, by key: a test repeated in one execution answers the same (RFC 7352 §3).</summary>
    public Dictionary<string, bool> DuplicateAnswers { get; } = new(StringComparer.Ordinal);

    public int IncludeCount { get; set; }

    /// <summary>The scripts being run, outermost first (<c>personal:name</c>, <c>global:name</c>), for circular includes.</summary>
    public List<string> IncludeStack { get; } = [];

    /// <summary>Scripts included with <c>:once</c> (or included at all, for a later <c>:once</c>).</summary>
    public HashSet<string> Included { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts a command or comparison against <see cref="SieveRuntimeSettings.MaxSteps"/>; false once over.</summary>
    public bool Step() => ++_steps <= Settings.MaxSteps;
}

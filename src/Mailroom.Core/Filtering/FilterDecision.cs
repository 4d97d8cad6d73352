namespace Mailroom.Core.Filtering;

/// <summary>
/// What a filter decided for one message: the actions in order (an empty list means nothing is stored: the message was
/// discarded or rejected), and what to record once the caller has carried them out.
/// </summary>
public sealed class FilterDecision
{
    private readonly Func<CancellationToken, ValueTask>? _commit;

    public FilterDecision(IReadOnlyList<FilterAction> actions, string? failure = null, Func<CancellationToken, ValueTask>? commit = null, bool filtered = true)
    {
        ArgumentNullException.ThrowIfNull(actions);
        Actions = actions;
        Failure = failure;
        Filtered = filtered;
        _commit = commit;
    }

    public IReadOnlyList<FilterAction> Actions { get; }

    /// <summary>Why the filter could not run (a script error, logged already); the actions are then the default keep.</summary>
    public string? Failure { get; }

    /// <summary>False when the recipient has no filter at all (the actions are the default keep, nothing was evaluated).</summary>
    public bool Filtered { get; }

    /// <summary>The first reject among the actions, if any.</summary>
    public RejectAction? Reject => Actions.OfType<RejectAction>().FirstOrDefault();

    /// <summary>The default decision: keep the message in <paramref name="folder"/>, no filter involved.</summary>
    public static FilterDecision Unfiltered(string folder) => new([new StoreAction(folder, false, [])], filtered: false);

    /// <summary>Records what the executed actions must leave behind (vacation and duplicate tracking). Call once, after executing.</summary>
    public ValueTask CommitAsync(CancellationToken cancellationToken) => _commit?.Invoke(cancellationToken) ?? ValueTask.CompletedTask;
}

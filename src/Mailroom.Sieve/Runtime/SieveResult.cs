namespace Mailroom.Sieve.Runtime;

/// <summary>
/// The actions of one execution (all scripts of the sequence), checked as they are added the way Pigeonhole checks them:
/// duplicates merged (RFC 5228 §2.10.3), conflicts with <c>reject</c> refused (RFC 5429 §2.1, RFC 5230 §4.7), and the
/// action and redirect limits enforced.
/// </summary>
public sealed class SieveResult
{
    private readonly List<SieveAction> _actions = [];
    private readonly int _maxActions;
    private readonly int _maxRedirects;
    private int _redirects;

    internal SieveResult(int maxActions, int maxRedirects)
    {
        _maxActions = maxActions;
        _maxRedirects = maxRedirects;
    }

    public IReadOnlyList<SieveAction> Actions => _actions;

    /// <summary>No action so far cancelled the implicit keep (RFC 5228 §2.10.2).</summary>
    public bool ImplicitKeep { get; private set; } = true;

    /// <summary>The imap4flags internal variable when the sequence ended: the flags of the implicit keep.</summary>
    public IReadOnlyList<string> ImplicitKeepFlags { get; internal set; } = [];

    /// <summary>The run failed: <see cref="Actions"/> holds what earlier scripts of the sequence decided, and the message is kept.</summary>
    public string? Error { get; internal set; }

    /// <summary>Duplicate-tracking records to write once the actions were carried out (none after a failure, RFC 7352 §3).</summary>
    public IReadOnlyList<TrackingMark> Marks { get; internal set; } = [];

    internal void RestoreImplicitKeep() => ImplicitKeep = true;

    /// <summary>Drops what a failing script added (the earlier scripts' actions stand, as in Pigeonhole's multiscript).</summary>
    internal void Truncate(int count) => _actions.RemoveRange(count, _actions.Count - count);

    internal void AddStore(StoreMessageAction action)
    {
        CheckRejectConflict(action);
        string key = Language.Commands.StoreFlags.FolderKey(action.Folder);
        int existing = _actions.FindIndex(a => a is StoreMessageAction s && Language.Commands.StoreFlags.FolderKey(s.Folder) == key);
        if (existing >= 0)
        {
            // The later one's flags win, as Pigeonhole merges duplicate stores.
            var previous = (StoreMessageAction)_actions[existing];
            _actions[existing] = previous with { Flags = action.Flags, Create = previous.Create || action.Create, Copy = previous.Copy && action.Copy };
        }
        else
        {
            Add(action);
        }

        if (!action.Copy)
        {
            ImplicitKeep = false;
        }
    }

    internal void AddRedirect(RedirectMessageAction action)
    {
        CheckRejectConflict(action);
        if (!_actions.Exists(a => a is RedirectMessageAction r && r.Address.Equals(action.Address, StringComparison.OrdinalIgnoreCase)))
        {
            _redirects++;
            if (_redirects > _maxRedirects)
            {
                throw new SieveRuntimeException(action.Position, $"number of redirect actions exceeds policy limit ({_redirects} > {_maxRedirects})");
            }

            Add(action);
        }

        if (!action.Copy)
        {
            ImplicitKeep = false;
        }
    }

    internal void AddReject(RejectMessageAction action)
    {
        foreach (SieveAction other in _actions)
        {
            switch (other)
            {
                case RejectMessageAction:
                    throw new SieveRuntimeException(action.Position, $"duplicate reject/ereject action not allowed (previously triggered one was here: {other.Script}: {other.Position})");
                case StoreMessageAction or RedirectMessageAction:
                    throw Conflict(action, other, "tries to deliver the message");
                case VacationAction:
                    throw Conflict(action, other, "also sends a response to the sender");
            }
        }

        Add(action);
        ImplicitKeep = false;
    }

    internal void AddDiscard(DiscardMessageAction action)
    {
        if (!_actions.Exists(a => a is DiscardMessageAction))
        {
            Add(action);
        }

        ImplicitKeep = false;
    }

    internal void AddVacation(VacationAction action)
    {
        foreach (SieveAction other in _actions)
        {
            if (other is VacationAction)
            {
                throw new SieveRuntimeException(action.Position, $"duplicate vacation action not allowed (previously triggered one was here: {other.Script}: {other.Position})");
            }
        }

        CheckRejectConflict(action);
        Add(action);
    }

    private void CheckRejectConflict(SieveAction action)
    {
        if (_actions.Find(a => a is RejectMessageAction) is { } reject)
        {
            throw new SieveRuntimeException(action.Position,
                $"{action.Kind} action conflicts with other action: the reject action ({reject.Script}: {reject.Position}) {ConflictOfReject(action)}");
        }
    }

    private static string ConflictOfReject(SieveAction action) => action is VacationAction
        ? "also sends a response to the sender"
        : "rejects the message";

    private static SieveRuntimeException Conflict(SieveAction reject, SieveAction other, string reason) =>
        new(reject.Position, $"reject/ereject action conflicts with other action: the {other.Kind} action ({other.Script}: {other.Position}) {reason}");

    private void Add(SieveAction action)
    {
        if (_actions.Count >= _maxActions)
        {
            throw new SieveRuntimeException(action.Position, $"total number of actions exceeds policy limit ({_actions.Count + 1} > {_maxActions})");
        }

        _actions.Add(action);
    }
}

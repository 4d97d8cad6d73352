using System.Diagnostics.CodeAnalysis;

namespace Mailroom.Net;

/// <summary>
/// The command loop SMTP, POP3 and IMAP share on top of <see cref="LineSession"/>: each line is parsed into a command
/// name and request, looked up in the protocol's frozen table of {handler, allowed states}, answered "bad sequence"
/// before any handler runs when the state is wrong (as mox's and Dovecot's servers do), run, and every failure reply
/// spends the error budget: past <see cref="MaxErrors"/> the session ends. A SASL exchange waiting for the client's
/// next line takes that line instead (<see cref="AwaitingContinuation"/>). The protocol supplies the words: its parser,
/// its refusals and its closing reply.
/// </summary>
/// <typeparam name="TRequest">What a parsed command carries to its handler (the argument text, an IMAP request).</typeparam>
/// <typeparam name="TState">The protocol's <c>[Flags]</c> state enum.</typeparam>
/// <typeparam name="TEntry">The protocol's table entry (handler, allowed states and its own extras).</typeparam>
public abstract class CommandSession<TRequest, TState, TEntry> : LineSession
    where TState : struct, Enum
    where TEntry : class, ICommandEntry<TState>
{
    private readonly IReadOnlyDictionary<string, TEntry> _commands;

    protected CommandSession(
        MailConnection connection,
        LineSessionOptions options,
        TimeProvider timeProvider,
        IReadOnlyDictionary<string, TEntry> commands,
        TState initialState,
        int maxErrors)
        : base(connection, options, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        State = initialState;
        MaxErrors = maxErrors;
    }

    /// <summary>Where the session is in the protocol; the table's allowed states are checked against it.</summary>
    public TState State { get; set; }

    /// <summary>Failure replies counted so far against <see cref="MaxErrors"/>.</summary>
    public int Errors { get; private set; }

    /// <summary>A reply of the current command (or continuation line) spent the error budget.</summary>
    public bool CommandFailed { get; private set; }

    /// <summary>Failure replies after which the session is ended through <see cref="OnTooManyErrors"/>.</summary>
    protected int MaxErrors
    {
        get;
        set => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The error budget must be positive.");
    }

    /// <summary>
    /// Only failures in a row count: a command that runs without one resets the count (Dovecot's pop3 after login, so
    /// a long session is not ended by a few harmless errors). Default false: every failure counts.
    /// </summary>
    protected bool CountErrorsInARowOnly { get; set; }

    /// <summary>
    /// The table name of the command whose handler is running; it stays set when the session ends inside the handler
    /// (client gone during DATA, a deadline), so the disconnect line can count that command as failed.
    /// </summary>
    protected string? RunningCommand { get; private set; }

    /// <summary>A SASL exchange waits for the client's next line: it goes to <see cref="OnContinuationAsync"/>, not the table.</summary>
    protected virtual bool AwaitingContinuation => false;

    /// <summary>A SASL response (the line after a challenge) is all secret; otherwise the protocol's <see cref="CommandSecretStart"/>.</summary>
    protected sealed override int TraceSecretStart(ReadOnlySpan<byte> line) => AwaitingContinuation ? 0 : CommandSecretStart(line);

    /// <summary>Where the secret part of a command line starts (<c>PASS</c>'s argument), or -1; for the transcript.</summary>
    protected virtual int CommandSecretStart(ReadOnlySpan<byte> line) => -1;

    /// <summary>Records a failure reply: spends one unit of the error budget. Every protocol's error writer calls it.</summary>
    public void SpendError()
    {
        Errors++;
        CommandFailed = true;
    }

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        CommandFailed = false;
        SessionAction action;
        if (AwaitingContinuation)
        {
            action = await OnContinuationAsync(line, ct).ConfigureAwait(false);
        }
        else if (!TryParseCommand(line, out string? name, out TRequest? request))
        {
            OnCommandDone(null);
            action = SessionAction.Continue;
        }
        else
        {
            action = await RunCommandAsync(name, request, ct).ConfigureAwait(false);
        }

        return CheckErrorBudget(action);
    }

    /// <summary>
    /// Looks the command up, answers an unknown one or one in the wrong state without running it, otherwise runs its
    /// handler. The caller applies <see cref="CheckErrorBudget"/> to the result.
    /// </summary>
    protected async ValueTask<SessionAction> RunCommandAsync(string name, TRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_commands.TryGetValue(name, out TEntry? entry))
        {
            OnUnknownCommand(name, request);
            OnCommandDone(null);
            return SessionAction.Continue;
        }

        if (!entry.Allowed.HasFlag(State))
        {
            await OnBadSequenceAsync(entry, request, ct).ConfigureAwait(false);
            OnCommandDone(name);
            return SessionAction.Continue;
        }

        RunningCommand = name;
        SessionAction action;
        try
        {
            action = await ExecuteAsync(entry, request, ct).ConfigureAwait(false);
        }
        finally
        {
            StopIdleTimer();
        }

        RunningCommand = null;
        if (CountErrorsInARowOnly && !CommandFailed)
        {
            Errors = 0;
        }

        OnCommandDone(name);
        return action;
    }

    /// <summary>Ends the session through <see cref="OnTooManyErrors"/> once the budget is spent (unless it is closing anyway).</summary>
    protected SessionAction CheckErrorBudget(SessionAction action)
    {
        if (action != SessionAction.Close && Errors >= MaxErrors)
        {
            OnTooManyErrors();
            return SessionAction.Close;
        }

        return action;
    }

    /// <summary>
    /// Parses a line into the table key and the request. False when the line is no command at all (bad encoding, no
    /// tag): the parser has then written the reply, through an error writer that spends the budget.
    /// </summary>
    protected abstract bool TryParseCommand(ReadOnlyMemory<byte> line, [NotNullWhen(true)] out string? name, [MaybeNullWhen(false)] out TRequest request);

    /// <summary>Runs the handler of an allowed command and returns what the loop does next.</summary>
    protected abstract ValueTask<SessionAction> ExecuteAsync(TEntry entry, TRequest request, CancellationToken ct);

    /// <summary>The name is not in the table: write the protocol's "unknown command" reply (it spends the budget).</summary>
    protected abstract void OnUnknownCommand(string name, TRequest request);

    /// <summary>
    /// The command is not allowed in the current state: write the protocol's "bad sequence" reply (SMTP
    /// <c>503 5.5.1 Error: ...</c>, POP3 <c>-ERR ...</c>, IMAP <c>BAD</c>), consuming any payload that belongs to the command.
    /// </summary>
    protected abstract ValueTask OnBadSequenceAsync(TEntry entry, TRequest request, CancellationToken ct);

    /// <summary>The error budget is spent: write the closing reply (and log it); the loop flushes and closes.</summary>
    protected abstract void OnTooManyErrors();

    /// <summary>The line while <see cref="AwaitingContinuation"/>: the protocol's SASL exchange goes on. Default: nothing to do.</summary>
    protected virtual ValueTask<SessionAction> OnContinuationAsync(ReadOnlyMemory<byte> line, CancellationToken ct) =>
        ValueTask.FromResult(SessionAction.Continue);

    /// <summary>A command was answered: <paramref name="name"/> is its table key, or null for an unparsable or unknown one (for statistics).</summary>
    protected virtual void OnCommandDone(string? name)
    {
    }
}

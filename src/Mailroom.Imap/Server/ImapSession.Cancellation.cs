using System.IO.Pipelines;
using System.Net.Sockets;

namespace Mailroom.Imap.Server;

/// <summary>
/// A command's work stops when its client leaves (DESIGN invariant 7). Once a command has run for
/// <see cref="WatchDelay"/>, the session keeps a read pending on the input: the connection ending completes it and
/// cancels the command's token, which long loops (SEARCH, FETCH, LIST) check as they go. (Quick commands never start
/// the read: cancelling a socket read costs more than most commands.) Data that arrives meanwhile (pipelined
/// commands) is left in the pipe for the loop, and the watch ends once a line's worth is waiting, so a command never
/// makes the session buffer more than that.
/// A connection closed after further commands were sent still gets those answered; one closed (even half-closed)
/// with nothing after the running command is taken as gone: TCP cannot tell a client that left from one that only
/// stopped sending.
/// </summary>
internal sealed partial class ImapSession
{
    internal static readonly TimeSpan WatchDelay = TimeSpan.FromMilliseconds(50);

    private readonly Lock _watchGate = new();
    private CancellationTokenSource? _commandCancellation;
    private ITimer? _watchTimer;
    private PipeReader? _watchedInput;
    private Task? _watch;
    private int _watchStopping;
    private string? _interruptedCommand;

    /// <summary>Starts watching the input for <paramref name="entry"/>; returns the token the command runs with.</summary>
    private CancellationToken WatchClient(ImapCommandEntry entry, ImapRequest request, CancellationToken sessionToken)
    {
        if (entry.Command is Commands.IdleCommand or Commands.CompressCommand)
        {
            // IDLE reads the input itself (its DONE, or the end of the connection); COMPRESS replaces the input.
            return sessionToken;
        }

        _commandCancellation ??= CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
        _interruptedCommand = request.Name;
        lock (_watchGate)
        {
            _watchStopping = 0;
        }

        _watchTimer ??= Context.TimeProvider.CreateTimer(static state => ((ImapSession)state!).StartWatch(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watchTimer.Change(WatchDelay, Timeout.InfiniteTimeSpan);
        return _commandCancellation.Token;
    }

    // On a timer thread, while the command runs on its own: the gate keeps it from starting after the command ended.
    private void StartWatch()
    {
        lock (_watchGate)
        {
            if (_watchStopping == 1 || _watch is not null)
            {
                return;
            }

            _watchedInput = Input;
            _watch = WatchInputAsync(_watchedInput, MaxLineLength);
        }
    }

    /// <summary>Whether the command was cancelled because the client closed the connection.</summary>
    private bool ClientLeft => _commandCancellation?.IsCancellationRequested == true && !SessionAborted.IsCancellationRequested;

    /// <summary>Ends the watch; the loop then reads the input as if it had never been touched.</summary>
    private async ValueTask StopWatchingAsync()
    {
        _watchTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Task? watch;
        PipeReader? input;
        lock (_watchGate)
        {
            _watchStopping = 1;
            watch = _watch;
            input = _watchedInput;
        }

        if (watch is null || input is null)
        {
            return;
        }

        try
        {
            input.CancelPendingRead();
            await watch.ConfigureAwait(false);

            // A cancellation the watch did not take would end the loop's next read early: take it here, leaving the data.
            if (input.TryRead(out ReadResult leftover))
            {
                input.AdvanceTo(leftover.Buffer.Start);
            }
        }
        catch (InvalidOperationException)
        {
            // The input was completed: the connection is closing anyway.
        }

        lock (_watchGate)
        {
            _watch = null;
            _watchedInput = null;
        }
    }

    private async Task WatchInputAsync(PipeReader input, long maxBuffered)
    {
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                bool stop = result.IsCanceled || Volatile.Read(ref _watchStopping) == 1 || result.IsCompleted
                    || result.Buffer.Length > maxBuffered;
                if (stop)
                {
                    // Nothing examined: the loop's next read gets the data (and the end) at once.
                    input.AdvanceTo(result.Buffer.Start);
                    if (result.IsCompleted && !result.IsCanceled && result.Buffer.IsEmpty)
                    {
                        // The client closed without sending anything after this command (commands it pipelined before
                        // closing are still answered): nobody is left to read the answer.
                        await _commandCancellation!.CancelAsync().ConfigureAwait(false);
                    }

                    // A client still sending (more than a line waiting) is not gone; reading on would only fill memory.
                    return;
                }

                // Data arrived (pipelined commands): keep it, and wait for more or for the end.
                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The connection broke (reset): the client is gone.
            await _commandCancellation!.CancelAsync().ConfigureAwait(false);
        }
    }
}

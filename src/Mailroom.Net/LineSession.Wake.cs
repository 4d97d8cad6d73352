using System.IO.Pipelines;

namespace Mailroom.Net;

/// <summary>
/// Writing between commands: another thread (a mailbox change) asks the loop, waiting for the client's next line, to
/// let the protocol write unsolicited responses (IMAP NOTIFY, RFC 5465 §5) without racing a command that starts. The
/// loop, and only the loop, writes: the wake interrupts its read (<see cref="PipeReader.CancelPendingRead"/>) only while
/// it waits between commands, never a read inside a command, and a wake that comes while a command runs is served
/// when the loop next waits.
/// </summary>
public abstract partial class LineSession
{
    private readonly Lock _wakeGate = new();
    private bool _wakeRequested;
    private bool _wakeCancelIssued;

    /// <summary>
    /// Asks the loop to call <see cref="OnWakeAsync"/> before it next waits for the client, at once when it is waiting
    /// now. Any thread; never blocks; many calls before the loop gets to it make one call.
    /// </summary>
    protected void WakeBetweenCommands()
    {
        lock (_wakeGate)
        {
            _wakeRequested = true;
            if (_waitingForInput == 1 && !_wakeCancelIssued)
            {
                _wakeCancelIssued = true;
                try
                {
                    Connection.Input.CancelPendingRead();
                }
                catch (InvalidOperationException)
                {
                    // The reader was completed (connection closing); nothing to interrupt.
                }
            }
        }
    }

    /// <summary>
    /// Between commands, after <see cref="WakeBetweenCommands"/>: write what is due; the loop flushes it under the wait's
    /// deadline (a client that does not read is cut at <see cref="IdleTimeout"/>). Default: nothing.
    /// </summary>
    protected virtual ValueTask OnWakeAsync(CancellationToken ct) => default;

    private void BeginWait()
    {
        lock (_wakeGate)
        {
            _waitingForInput = 1;
        }
    }

    /// <summary>The wait is over; true when a wake cancelled the read (maybe after it had already returned data).</summary>
    private bool EndWait()
    {
        lock (_wakeGate)
        {
            _waitingForInput = 0;
            bool issued = _wakeCancelIssued;
            _wakeCancelIssued = false;
            return issued;
        }
    }

    private bool TakeWakeRequest()
    {
        lock (_wakeGate)
        {
            bool requested = _wakeRequested;
            _wakeRequested = false;
            return requested;
        }
    }

    /// <summary>
    /// A wake cancelled the read after it had returned the client's bytes: the cancellation is still pending in the
    /// reader and would end the next read early, perhaps one inside the command (a literal). Take it now; nothing is
    /// consumed, and what is buffered stays unexamined so a command already there is read at once.
    /// </summary>
    private static void AbsorbCancellation(PipeReader input)
    {
        if (input.TryRead(out ReadResult pending))
        {
            input.AdvanceTo(pending.Buffer.Start);
        }
    }
}

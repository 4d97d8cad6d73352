using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): the handler itself waits for either the client's <c>DONE</c> or a change of
/// the selected folder (<see cref="Store.Mailboxes.MailFolder.Changed"/>), so all output stays on the session's own
/// flow. An idling session costs nothing while nothing happens: changes made by other programs (mutt, POP3 in another
/// process) are noticed by the store's one watch and poll per folder, which raise the same event. A woken session
/// takes the folder's published snapshot and its shared change (<see cref="Store.Mailboxes.FolderView.Change"/>): one
/// rescan per folder change, not one per session; mail found in new/ moves to cur/ at the session's next command.
/// </summary>
internal sealed partial class ImapSession
{
    // "DONE" plus some slack; anything longer is not DONE.
    private const int MaxIdleLine = 64;

    private readonly CancellationToken _stopping;
    private TaskCompletionSource? _idleWake;

    /// <summary>Runs IDLE until DONE, shutdown or the idle timeout (which ends the session through the loop).</summary>
    public async ValueTask<SessionAction> IdleAsync(ImapRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SendUpdates(allowExpunge: true);
        WriteNotifications();
        await PushNewMessagesAsync(cancellationToken).ConfigureAwait(false);
        WriteLine("+ idling");
        await FlushAsync(cancellationToken).ConfigureAwait(false);

        using var idleEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        Task<string?> line = ReadIdleLineAsync(idleEnd.Token);
        RestartIdleTimer();
        try
        {
            while (true)
            {
                // Completed from the thread pool's global queue (WakeIdle), so its continuation runs there directly.
                var wake = new TaskCompletionSource();
                Volatile.Write(ref _idleWake, wake);
                if ((Selected is { } selected && selected.Folder.Current.Version != selected.Version)
                    || (_notifier?.Queue.HasPending ?? false))
                {
                    wake.TrySetResult();
                }

                Task first = await Task.WhenAny(line, wake.Task).ConfigureAwait(false);
                if (first == line)
                {
                    break;
                }

                // Woken by a published change (or a NOTIFY event): what the folder already holds, no rescan.
                SendUpdates(allowExpunge: true, refresh: false);
                WriteNotifications();
                await PushNewMessagesAsync(cancellationToken).ConfigureAwait(false);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                RestartIdleTimer();
            }
        }
        finally
        {
            Volatile.Write(ref _idleWake, null);
            await idleEnd.CancelAsync().ConfigureAwait(false);
        }

        string? done = await AwaitIdleLineAsync(line, cancellationToken).ConfigureAwait(false);
        if (done is null)
        {
            // Shutdown while idling; an idle timeout surfaces as the cancellation the loop turns into "* BYE".
            cancellationToken.ThrowIfCancellationRequested();
            WriteLine("* BYE Server shutting down.");
            return SessionAction.Close;
        }

        if (!done.Equals("DONE", StringComparison.OrdinalIgnoreCase))
        {
            Bad(request.Tag, "Expected DONE.");
            return SessionAction.Continue;
        }

        Ok(request, "Idle completed.");
        return SessionAction.Continue;
    }

    private async Task<string?> AwaitIdleLineAsync(Task<string?> line, CancellationToken cancellationToken)
    {
        try
        {
            return await line.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException)
        {
            _transportFailed = true;
            throw;
        }
    }

    /// <summary>Reads one short line from the input (the IDLE terminator); null when the read was cancelled.</summary>
    private async Task<string?> ReadIdleLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition? lf = buffer.PositionOf((byte)'\n');
            if (lf is { } end)
            {
                ReadOnlySequence<byte> text = buffer.Slice(0, end);
                string value = text.Length > MaxIdleLine ? "" : Encoding.ASCII.GetString(text).TrimEnd('\r');
                BytesIn += text.Length + 1;
                Input.AdvanceTo(buffer.GetPosition(1, end));
                return value;
            }

            if (buffer.Length > MaxIdleLine)
            {
                Input.AdvanceTo(buffer.End);
                BytesIn += buffer.Length;
                return "";
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                Input.AdvanceTo(buffer.Start, buffer.End);
                throw new EndOfStreamException("The client closed the connection during IDLE.");
            }

            Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}

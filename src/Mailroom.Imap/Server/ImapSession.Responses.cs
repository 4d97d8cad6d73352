using System.Text;

namespace Mailroom.Imap.Server;

/// <summary>Writing responses: every BAD spends the session's error budget (<see cref="ImapOptions.MaxErrors"/>); tagged OK/NO carry pending mailbox updates.</summary>
internal sealed partial class ImapSession
{
    // Large responses (FETCH of many bodies) leave in pieces of about this size rather than piling up in memory.
    private const int FlushThreshold = 64 * 1024;

    private bool _transportFailed;

    /// <summary>The counting response writer; pass it to <see cref="Protocol.ImapWire"/>.</summary>
    public ImapOutput Writer { get; }

    /// <summary>Bytes received, for Dovecot's <c>in=</c> on the logout line.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Writes text as UTF-8, no line end.</summary>
    public void Write(string text) => Encoding.UTF8.GetBytes(text, Writer);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Writer.GetSpan(bytes.Length));
        Writer.Advance(bytes.Length);
    }

    /// <summary>Writes a response line and its CRLF.</summary>
    public void WriteLine(string text)
    {
        Write(text);
        Write("\r\n"u8);
    }

    /// <summary>
    /// Ends a command: pending mailbox updates first (EXISTS, FETCH FLAGS, and EXPUNGE when the command allows them),
    /// a lowered HIGHESTMODSEQ when expunges are still pending, then <c>tag OK|NO text</c>.
    /// </summary>
    public void Complete(ImapRequest request, string status, string text)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Selected is { } selected)
        {
            // RFC 5465 §5.2: NOTIFY's "selected" filter asks for expunges at once, even during FETCH, STORE, SEARCH.
            SendUpdates((_running?.ExpungeAllowed ?? true) || (_notifier?.SelectedExpungesAtOnce ?? false));
            WriteLowerHighestModSeqIfNeeded(selected);
        }

        WriteNotifications();
        WriteLine(request.Tag + " " + status + " " + text);
    }

    /// <summary><c>tag OK text</c> after pending updates.</summary>
    public void Ok(ImapRequest request, string text) => Complete(request, "OK", text);

    /// <summary><c>tag NO text</c> after pending updates.</summary>
    public void No(ImapRequest request, string text) => Complete(request, "NO", text);

    /// <summary><c>tag BAD text</c>, or <c>* BAD text</c> when no tag could be read; spends the error budget.</summary>
    public void Bad(string? tag, string text)
    {
        SpendError();
        WriteLine((tag ?? "*") + " BAD " + text);
    }

    /// <summary>Flushes once the unflushed output is large, so a long FETCH streams instead of buffering.</summary>
    public async ValueTask FlushIfLargeAsync(CancellationToken cancellationToken)
    {
        if (Output.CanGetUnflushedBytes && Output.UnflushedBytes >= FlushThreshold)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes the output now (continuation requests, IDLE updates), re-arming the idle timer meanwhile.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        RestartIdleTimer();
        try
        {
            await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _transportFailed = true;
            throw;
        }
        finally
        {
            StopIdleTimer();
        }
    }
}

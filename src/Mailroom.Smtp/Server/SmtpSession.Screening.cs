using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Mailroom.Net;
using Mailroom.Policy.Dnsbl;

namespace Mailroom.Smtp.Server;

/// <summary>
/// Port 25's screening of a client before it may send: postscreen's pregreet test at the greeting, and the DNSBL
/// lookups, started at connect so their answers are in by the first RCPT, where they are enforced as Postfix's
/// <c>reject_rbl_client</c> is: after AUTH could have exempted the client, and with the sender and recipient in the log.
/// </summary>
internal sealed partial class SmtpSession
{
    // Enough of what a pregreeting client sent to recognise it in the log (postscreen shows the start of it too).
    private const int PregreetLogBytes = 100;

    private CancellationTokenSource? _blocklistCancel;
    private Task<DnsblVerdict>? _blocklistVerdict;

    /// <summary>The client is in <c>Smtp:TrustedNetworks</c>.</summary>
    public bool IsTrustedClient => NetworkList.Contains(Context.TrustedNetworks, Connection.RemoteEndPoint.Address);

    /// <summary>
    /// The lists' verdict on this client, or null when it is not checked: not port 25, a trusted network, an
    /// authenticated session, or no lists configured. A failure of the check counts as "not listed".
    /// </summary>
    public async ValueTask<DnsblVerdict?> BlocklistVerdictAsync(CancellationToken cancellationToken)
    {
        if (_blocklistVerdict is null || AuthenticatedUser is not null)
        {
            return null;
        }

        try
        {
            return await _blocklistVerdict.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SmtpLog.BlocklistCheckFailed(Context.Diagnostics, ex, ClientAddress);
            return null;
        }
    }

    /// <summary>
    /// The pregreet test (<see cref="SmtpOptions.GreetDelay"/>): sends <c>220-</c>, waits, and refuses a client that
    /// talked meanwhile. Returns false when refused (the refusal is written).
    /// </summary>
    private async ValueTask<bool> PassesPregreetTestAsync(CancellationToken ct)
    {
        TimeSpan delay = Context.Options.GreetDelay;
        if (delay <= TimeSpan.Zero || Context.IsSubmission || IsTrustedClient)
        {
            return true;
        }

        // RFC 5321 §4.2.1: a client must wait for the last line of a multi-line reply; postscreen's greet banner.
        WriteLine($"220-{Hostname} ESMTP Mailroom");
        long started = Context.TimeProvider.GetTimestamp();
        PipeReader input = Input;
        ReadResult result;

        // The delay runs from before the first line leaves; a timer that fires before the read starts makes that read
        // return at once (a pending cancellation is kept for the next read).
        using (ITimer timer = Context.TimeProvider.CreateTimer(static state => ((PipeReader)state!).CancelPendingRead(), input, delay, Timeout.InfiniteTimeSpan))
        {
            await Output.FlushAsync(ct).ConfigureAwait(false);
            result = await input.ReadAsync(ct).ConfigureAwait(false);
        }

        if (result.Buffer.IsEmpty)
        {
            // Silent for the whole delay (or it closed, which the command loop finds next): nothing was consumed.
            input.AdvanceTo(result.Buffer.Start);
            return true;
        }

        double seconds = Context.TimeProvider.GetElapsedTime(started).TotalSeconds;
        SmtpLog.Pregreet(
            Context.Postscreen,
            result.Buffer.Length,
            seconds.ToString("0.00", CultureInfo.InvariantCulture),
            ClientAddress,
            Connection.RemoteEndPoint.Port,
            Escape(result.Buffer.Slice(0, Math.Min(result.Buffer.Length, PregreetLogBytes))));
        input.AdvanceTo(result.Buffer.End);
        WriteLine("554 5.5.1 Protocol error");
        return false;
    }

    /// <summary>Starts the lists' lookups for an untrusted client of port 25, to be awaited at its first RCPT.</summary>
    private void StartBlocklistLookups()
    {
        if (Context.Blocklists is null || Context.IsSubmission || IsTrustedClient)
        {
            return;
        }

        _blocklistCancel = new CancellationTokenSource();
        _blocklistVerdict = Context.Blocklists.CheckAsync(Connection.RemoteEndPoint.Address, _blocklistCancel.Token);
    }

    /// <summary>The session is over: lookups still running are abandoned.</summary>
    private void StopBlocklistLookups()
    {
        if (_blocklistCancel is null)
        {
            return;
        }

        _blocklistCancel.Cancel();
        _blocklistCancel.Dispose();
        _blocklistCancel = null;

        // Observed, so that a lookup ended by the cancellation is not reported as an unobserved exception.
        _blocklistVerdict?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Postfix's rendering of client bytes in a log line: CR and LF as <c>\r</c> and <c>\n</c>, other controls as <c>?</c>.</summary>
    private static string Escape(ReadOnlySequence<byte> bytes)
    {
        var text = new StringBuilder((int)bytes.Length);
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            foreach (byte b in segment.Span)
            {
                text.Append(b switch
                {
                    (byte)'\r' => "\\r",
                    (byte)'\n' => "\\n",
                    >= 0x20 and < 0x7F => ((char)b).ToString(),
                    _ => "?",
                });
            }
        }

        return text.ToString();
    }
}

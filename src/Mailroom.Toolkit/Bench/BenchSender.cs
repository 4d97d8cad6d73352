using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using HdrHistogram;
using Mailroom.Toolkit.Smtp;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// The <c>bench send</c> engine: <see cref="BenchSendSettings.Senders"/> parallel loops, each opening its
/// connections one after another. Plain-TCP loops run on dedicated threads with <see cref="BlockingSmtpConnection"/>
/// (as smtp-source does, one blocking process per sender); TLS loops run on the thread pool with
/// <see cref="SmtpWireClient"/>.
/// </summary>
internal sealed class BenchSender
{
    /// <summary>Room for any reply a sink or server sends, EHLO's included; a longer line fails the connection.</summary>
    private const int ReplyBufferSize = 8192;

    private readonly BenchSendSettings _settings;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly BenchMessage _message;
    private IPEndPoint? _endPoint;

    public BenchSender(BenchSendSettings settings, TextWriter log, TimeProvider time)
    {
        _settings = settings;
        _log = TextWriter.Synchronized(log);
        _time = time;
        _message = new BenchMessage(settings, time.GetLocalNow());
    }

    public BenchProgress Progress { get; } = new();

    public async Task<BenchSendResult> RunAsync(CancellationToken cancellationToken)
    {
        // Resolve once: connecting by name would run a resolver lookup for every connection and measure it too.
        IPAddress address = IPAddress.TryParse(_settings.Server, out IPAddress? literal)
            ? literal
            : (await Dns.GetHostAddressesAsync(_settings.Server, cancellationToken).ConfigureAwait(false))[0];
        _endPoint = new IPEndPoint(address, _settings.Port);
        long started = _time.GetTimestamp();
        long? deadline = _settings.TimeLimit is { } limit ? started + (long)(limit.TotalSeconds * _time.TimestampFrequency) : null;
        var senders = new Task<SenderTotals>[_settings.Senders];
        for (int i = 0; i < senders.Length; i++)
        {
            senders[i] = _settings.Tls == TlsMode.None
                ? StartSenderThread(deadline, cancellationToken)
                : Task.Run(() => RunSenderAsync(deadline, cancellationToken), CancellationToken.None);
        }

        SenderTotals[] totals = await Task.WhenAll(senders).ConfigureAwait(false);
        var result = new BenchSendResult
        {
            Elapsed = _time.GetElapsedTime(started),
            MessageLatency = BenchSendResult.NewHistogram(),
            ConnectionLatency = BenchSendResult.NewHistogram(),
        };
        foreach (SenderTotals t in totals)
        {
            result.Sent += t.Sent;
            result.Failed += t.Failed;
            result.Connections += t.Connections;
            result.FailedConnections += t.FailedConnections;
            result.Bytes += t.Bytes;
            result.MessageLatency.Add(t.MessageLatency);
            result.ConnectionLatency.Add(t.ConnectionLatency);
        }

        return result;
    }

    /// <summary>
    /// Runs one plain-TCP sender on its own thread. Its connection completes every call synchronously, so the
    /// loop never leaves the thread and blocks only in the kernel.
    /// </summary>
    private Task<SenderTotals> StartSenderThread(long? deadline, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<SenderTotals>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Task<SenderTotals> run = RunSenderAsync(deadline, cancellationToken);
            run.ContinueWith(t => completion.SetFromTask(t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        })
        {
            IsBackground = true,
            Name = "bench sender",
        };
        thread.Start();
        return completion.Task;
    }

    private bool Expired(long? deadline) => deadline is { } d && _time.GetTimestamp() >= d;

    private async Task<SenderTotals> RunSenderAsync(long? deadline, CancellationToken cancellationToken)
    {
        var totals = new SenderTotals();
        byte[]? replyBuffer = _settings.Tls == TlsMode.None ? new byte[ReplyBufferSize] : null;
        for (int c = 0; c < _settings.ConnectionsPerSender && !Expired(deadline) && !cancellationToken.IsCancellationRequested; c++)
        {
            long connectionStart = _time.GetTimestamp();
            totals.Connections++;
            int attempted = 0;
            try
            {
                await using IBenchConnection client = await OpenAsync(replyBuffer, cancellationToken).ConfigureAwait(false);
                (attempted, bool quitSent) = await SendMessagesAsync(client, totals, deadline).ConfigureAwait(false);
                if (!quitSent)
                {
                    await client.CommandAsync("QUIT").ConfigureAwait(false);
                }

                totals.ConnectionLatency.RecordValue(Micros(connectionStart));
            }
            catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or BenchProtocolException or OperationCanceledException or ObjectDisposedException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                totals.FailedConnections++;
                int unsent = Math.Max(0, _settings.MessagesPerConnection - attempted);
                totals.Failed += unsent;
                Progress.AddFailed(unsent);
                if (_settings.Verbosity >= 1)
                {
                    await _log.WriteLineAsync($"connection failed: {ex.Message}").ConfigureAwait(false);
                }
            }
        }

        return totals;
    }

    private async ValueTask<IBenchConnection> OpenAsync(byte[]? replyBuffer, CancellationToken cancellationToken)
    {
        SmtpWireClient? wire = null;
        IBenchConnection client;
        if (replyBuffer is not null)
        {
            client = BlockingSmtpConnection.Connect(_endPoint!, _settings.Timeout, replyBuffer, cancellationToken);
        }
        else
        {
            wire = await SmtpWireClient.ConnectAsync(_endPoint!, _settings.Server, _settings.Tls == TlsMode.Implicit, _settings.Timeout, cancellationToken).ConfigureAwait(false);
            client = new WireConnection(wire);
        }

        try
        {
            Expect(await client.ReadReplyAsync().ConfigureAwait(false), 220, "greeting");
            SmtpReply ehlo = Expect(await client.CommandAsync($"EHLO {_settings.HeloName}", keepLines: true).ConfigureAwait(false), 250, "EHLO");
            if (_settings.Tls == TlsMode.StartTls)
            {
                if (!HasExtension(ehlo, "STARTTLS"))
                {
                    throw new BenchProtocolException("server does not offer STARTTLS");
                }

                Expect(await client.CommandAsync("STARTTLS").ConfigureAwait(false), 220, "STARTTLS");
                await wire!.StartTlsAsync(_settings.Server).ConfigureAwait(false);
                ehlo = Expect(await client.CommandAsync($"EHLO {_settings.HeloName}", keepLines: true).ConfigureAwait(false), 250, "EHLO");
            }

            if (_settings.AuthUser is { } user)
            {
                // RFC 4616: authzid NUL authcid NUL password.
                string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{_settings.AuthPassword}"));
                Expect(await client.CommandAsync($"AUTH PLAIN {token}").ConfigureAwait(false), 235, "AUTH");
            }

            client.Pipelining = _settings.Pipelining && HasExtension(ehlo, "PIPELINING");
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool HasExtension(SmtpReply ehlo, string name) =>
        ehlo.Lines is { } lines && lines.Skip(1).Any(l => l.Equals(name, StringComparison.OrdinalIgnoreCase) || l.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase));

    private static SmtpReply Expect(SmtpReply reply, int code, string step) =>
        reply.Code == code ? reply : throw new BenchProtocolException($"{step} refused: {reply}");

    private long Micros(long since) => (long)(_time.GetElapsedTime(since).Ticks / 10.0);

    /// <summary>Returns how many messages were attempted and whether QUIT already went out with the last one.</summary>
    private async ValueTask<(int Attempted, bool QuitSent)> SendMessagesAsync(IBenchConnection client, SenderTotals totals, long? deadline)
    {
        return client.Pipelining
            ? await SendPipelinedAsync(client, totals, deadline).ConfigureAwait(false)
            : (await SendLockstepAsync(client, totals, deadline).ConfigureAwait(false), false);
    }

    private async ValueTask<(int Attempted, bool QuitSent)> SendPipelinedAsync(IBenchConnection client, SenderTotals totals, long? deadline)
    {
        bool groupSent = false;
        bool needRset = false;
        long groupStart = 0;
        int m = 0;
        for (; m < _settings.MessagesPerConnection; m++)
        {
            if (!groupSent)
            {
                if (Expired(deadline))
                {
                    break;
                }

                groupStart = _time.GetTimestamp();
                await client.WriteAsync(needRset ? _message.RsetAndEnvelopeGroup : _message.EnvelopeGroup).ConfigureAwait(false);
                if (needRset)
                {
                    await client.ReadReplyAsync().ConfigureAwait(false);
                    needRset = false;
                }
            }

            SmtpReply mail = await client.ReadReplyAsync().ConfigureAwait(false);
            int accepted = 0;
            for (int r = 0; r < _message.RecipientCount; r++)
            {
                SmtpReply rcpt = await client.ReadReplyAsync().ConfigureAwait(false);
                accepted += rcpt.IsPositive ? 1 : 0;
                await ReportAsync(rcpt, "RCPT").ConfigureAwait(false);
            }

            SmtpReply data = await client.ReadReplyAsync().ConfigureAwait(false);
            if (data.Code != 354)
            {
                await ReportAsync(mail, "MAIL").ConfigureAwait(false);
                await ReportAsync(data, "DATA").ConfigureAwait(false);
                Fail(totals);

                // A transaction opened by MAIL stays open after DATA is refused; RSET closes it.
                needRset = mail.IsPositive;
                groupSent = false;
                continue;
            }

            bool pipelineNext = m + 1 < _settings.MessagesPerConnection && !Expired(deadline);
            await client.WriteAsync(pipelineNext ? _message.ContentAndEnvelopeGroup : _message.ContentAndQuit).ConfigureAwait(false);
            long nextStart = _time.GetTimestamp();
            SmtpReply final = await client.ReadReplyAsync().ConfigureAwait(false);
            Complete(totals, final, accepted, groupStart);
            await ReportAsync(final, "end of data").ConfigureAwait(false);
            if (!pipelineNext)
            {
                await client.ReadReplyAsync().ConfigureAwait(false);
                return (m + 1, true);
            }

            groupSent = true;
            groupStart = nextStart;
        }

        if (needRset)
        {
            await client.CommandAsync("RSET").ConfigureAwait(false);
        }

        return (m, false);
    }

    private async ValueTask<int> SendLockstepAsync(IBenchConnection client, SenderTotals totals, long? deadline)
    {
        int m = 0;
        for (; m < _settings.MessagesPerConnection && !Expired(deadline); m++)
        {
            long start = _time.GetTimestamp();
            await client.WriteAsync(_message.MailCommand).ConfigureAwait(false);
            SmtpReply mail = await client.ReadReplyAsync().ConfigureAwait(false);
            if (!mail.IsPositive)
            {
                await ReportAsync(mail, "MAIL").ConfigureAwait(false);
                Fail(totals);
                continue;
            }

            int accepted = 0;
            foreach (byte[] rcptCommand in _message.RcptCommands)
            {
                await client.WriteAsync(rcptCommand).ConfigureAwait(false);
                SmtpReply rcpt = await client.ReadReplyAsync().ConfigureAwait(false);
                accepted += rcpt.IsPositive ? 1 : 0;
                await ReportAsync(rcpt, "RCPT").ConfigureAwait(false);
            }

            SmtpReply data = accepted > 0 ? await SendDataCommandAsync(client).ConfigureAwait(false) : default;
            if (data.Code != 354)
            {
                await ReportAsync(data, "DATA").ConfigureAwait(false);
                await client.CommandAsync("RSET").ConfigureAwait(false);
                Fail(totals);
                continue;
            }

            await client.WriteAsync(_message.Content).ConfigureAwait(false);
            SmtpReply final = await client.ReadReplyAsync().ConfigureAwait(false);
            Complete(totals, final, accepted, start);
            await ReportAsync(final, "end of data").ConfigureAwait(false);
        }

        return m;
    }

    private async ValueTask<SmtpReply> SendDataCommandAsync(IBenchConnection client)
    {
        await client.WriteAsync(_message.DataCommand).ConfigureAwait(false);
        return await client.ReadReplyAsync().ConfigureAwait(false);
    }

    private void Complete(SenderTotals totals, SmtpReply final, int acceptedRecipients, long start)
    {
        if (final.IsPositive && acceptedRecipients > 0)
        {
            totals.Sent++;
            totals.Bytes += _message.Content.Length;
            totals.MessageLatency.RecordValue(Math.Min(Micros(start), BenchSendResult.HighestLatencyMicros));
            Progress.AddSent();
        }
        else
        {
            Fail(totals);
        }
    }

    private void Fail(SenderTotals totals)
    {
        totals.Failed++;
        Progress.AddFailed();
    }

    private async ValueTask ReportAsync(SmtpReply reply, string step)
    {
        if (_settings.Verbosity >= 2 && reply.Code >= 400)
        {
            await _log.WriteLineAsync($"{step}: {reply}").ConfigureAwait(false);
        }
    }

    private sealed class SenderTotals
    {
        public long Sent { get; set; }

        public long Failed { get; set; }

        public long Connections { get; set; }

        public long FailedConnections { get; set; }

        public long Bytes { get; set; }

        public LongHistogram MessageLatency { get; } = BenchSendResult.NewHistogram();

        public LongHistogram ConnectionLatency { get; } = BenchSendResult.NewHistogram();
    }
}

using System.Globalization;
using Mailroom.Core;
using Mailroom.Smtp.Cleanup;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>
/// One message on its way into the queue: the submission, the cleanup writer (trace header, missing
/// Message-ID/Date) and the content pump feeding it. Disposing it without a completed commit aborts the spool file.
/// </summary>
internal sealed partial class MessageTransaction : IAsyncDisposable
{
    private readonly SmtpSession _session;
    private readonly IMessageSubmission _submission;
    private readonly Envelope _envelope;
    private readonly CleanupWriter _cleanup;
    private readonly BodyPartHeaderMeter _parts;
    private MessageAnnotation? _annotation;
    private bool _writeFailed;
    private Exception? _writeFailure;

    private MessageTransaction(SmtpSession session, IMessageSubmission submission, Envelope envelope, bool dotStuffed, bool binary)
    {
        _session = session;
        _submission = submission;
        _envelope = envelope;
        SmtpServerContext context = session.Context;
        _cleanup = new CleanupWriter(submission.Content, context.IsSubmission ? CreateMissingHeaders : null, ChecksAuthentication(session) ? session.Hostname : null);
        _parts = new BodyPartHeaderMeter(context.Options.MaxHeaderFieldSize);
        var scanner = new MessageContentScanner(
            dotStuffed,
            binary,
            context.Options.BareLineEndings == BareLineEndingHandling.Normalize,
            context.Options.MaxMessageSize);
        Pump = new ContentPump(scanner, WriteContentAsync);
    }

    public ContentPump Pump { get; }

    public string QueueId => _submission.QueueId;

    /// <summary>BDAT: a chunk failed; later chunks are discarded and answered with this reply until LAST or RSET.</summary>
    public SmtpReply? Failure { get; set; }

    /// <summary>
    /// Starts the queue file and writes the Received: header. Returns no transaction, and the reply to give, when the
    /// queue cannot take the message (452 4.3.1 when its disk is full, else 451 4.3.0).
    /// </summary>
    public static async ValueTask<(MessageTransaction? Transaction, SmtpReply Failure)> BeginAsync(SmtpSession session, bool dotStuffed, CancellationToken cancellationToken)
    {
        SmtpServerContext context = session.Context;
        Envelope envelope = session.BuildEnvelope();
        IMessageSubmission submission;
        try
        {
            submission = await context.Submitter.BeginAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SmtpLog.BeginFailed(context.Diagnostics, ex, session.ClientAddress);
            return (null, SmtpReplies.ForWriteFailure(ex));
        }

        if (session.AuthenticatedUser is not null)
        {
            SmtpLog.AuthenticatedClient(context.Smtpd, submission.QueueId, session.ClientName, session.ClientAddress, session.AuthMethod ?? "", session.AuthenticatedUser);
        }
        else
        {
            SmtpLog.Client(context.Smtpd, submission.QueueId, session.ClientName, session.ClientAddress);
        }

        var transaction = new MessageTransaction(session, submission, envelope, dotStuffed, envelope.BodyType == BodyType.BinaryMime);
        var tls = session.Client.Tls;
        var trace = new TraceInfo
        {
            Helo = session.Helo ?? session.ClientAddress,
            ClientName = session.ClientName,
            ClientAddress = session.ClientAddress,
            Hostname = session.Hostname,
            Protocol = envelope.Protocol,
            QueueId = submission.QueueId,
            Tls = tls is null ? null : string.Create(CultureInfo.InvariantCulture, $"{tls.ProtocolName} with cipher {tls.CipherSuiteName} ({tls.KeyBits}/{tls.KeyBits} bits)"),
            SingleRecipient = session.AcceptedRcptCount == 1 && envelope.Recipients.Count > 0 ? envelope.Recipients[0].OriginalAddress : null,
            Time = context.TimeProvider.GetLocalNow(),
        };
        try
        {
            await transaction._cleanup.WriteTraceAsync(ReceivedHeader.Build(trace), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SmtpLog.QueueWriteFailed(context.Diagnostics, ex, submission.QueueId);
            transaction._writeFailed = true;
            transaction._writeFailure = ex;
        }

        return (transaction, SmtpReplies.QueueWriteError);
    }

    /// <summary>The content has ended: refuse it, or commit it and answer 250 only once the queue has it on disk.</summary>
    public async ValueTask<SmtpReply> CompleteAsync(string command, CancellationToken cancellationToken)
    {
        MessageContentScanner scanner = Pump.Scanner;
        SmtpReply? refusal = scanner.TooBig ? SmtpReplies.MessageTooBig
            : scanner.Violation == ContentViolation.BareLineEnding ? SmtpReplies.BareLineEnding
            : scanner.Violation == ContentViolation.Nul ? SmtpReplies.NulInMessage
            : null;
        refusal ??= await QuotaRefusalAsync(scanner.Size, cancellationToken).ConfigureAwait(false);
        if (refusal is { } reply)
        {
            LogRefusal(command, reply);
            return reply;
        }

        if (!_writeFailed)
        {
            try
            {
                await Pump.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (!_writeFailed)
                {
                    await _cleanup.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    _parts.Complete();

                    // Before any check parses the header (DKIM, DMARC, milters, Sieve): their cost grows faster than the header.
                    if (HeaderRefusal() is { } oversized)
                    {
                        LogRefusal(command, oversized);
                        return oversized;
                    }

                    if (await AuthenticationRefusalAsync(cancellationToken).ConfigureAwait(false) is { } refused)
                    {
                        LogRefusal(command, refused);
                        return refused;
                    }

                    // Milters after this server's own checks (as Postfix's smtpd_milters after its header checks).
                    if (await MilterRefusalAsync(cancellationToken).ConfigureAwait(false) is { } filtered)
                    {
                        if (filtered.Code != 250)
                        {
                            LogRefusal(command, filtered);
                        }

                        return filtered;
                    }

                    await MarkSpamAsync(cancellationToken).ConfigureAwait(false);

                    // The recipient's Sieve script last, on the message as it will be queued (not for mail bound for Junk).
                    if (await FilterRefusalAsync(cancellationToken).ConfigureAwait(false) is { } rejected)
                    {
                        LogRefusal(command, rejected);
                        return rejected;
                    }

                    if (_annotation is not null)
                    {
                        _submission.Annotate(_annotation);
                    }

                    // Before the commit, as Postfix's cleanup logs it before the queue manager sees the message: a commit may
                    // deliver it at once, and its delivery lines follow this one.
                    SmtpLog.MessageId(_session.Context.Cleanup, QueueId, _cleanup.MessageId ?? "<>");
                    await _submission.CommitAsync(cancellationToken).ConfigureAwait(false);
                    SmtpMetrics.Received(_session);
                    return new SmtpReply(250, "2.0.0", $"Ok: queued as {QueueId}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SmtpLog.QueueWriteFailed(_session.Context.Diagnostics, ex, QueueId);
                _writeFailure = ex;
            }
        }

        return SmtpReplies.ForWriteFailure(_writeFailure);
    }

    /// <summary>
    /// The message is refused at DATA only when it can be delivered nowhere: every recipient a local mailbox
    /// that this message would take over its quota. Otherwise it is queued and local delivery bounces (or
    /// defers) the full mailboxes alone. A directory that cannot answer here is no reason to refuse: delivery checks again.
    /// </summary>
    private async ValueTask<SmtpReply?> QuotaRefusalAsync(long size, CancellationToken cancellationToken)
    {
        MailboxQuotaCheck? quota = _session.Context.Quota;
        IReadOnlyList<EnvelopeRecipient> recipients = _session.Recipients;
        if (quota is null || recipients.Count == 0 || recipients.Any(r => r.Route != RecipientRoute.Local))
        {
            return null;
        }

        try
        {
            foreach (EnvelopeRecipient recipient in recipients)
            {
                if (!await quota.IsFullAsync(recipient.Address, Math.Max(1, size), cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }
        catch (Directory.DirectoryUnavailableException)
        {
            return null;
        }

        return SmtpReplies.MailboxFull;
    }

    private static readonly SmtpReply UncheckableLocally = new(451, "4.3.0", "Error: message could not be checked; try again later");
    private static readonly SmtpReply Unparseable = new(550, "5.6.0", "Error: message header could not be parsed");

    /// <summary>
    /// The message's header, or the header of one of its body parts, past <see cref="SmtpOptions.MaxHeaderFieldSize"/> or
    /// <see cref="SmtpOptions.MaxHeaderFields"/>: 552 5.3.4. The message's own header is measured twice: as the cleanup
    /// step writes it (up to a line that is no field) and as MimeKit parses it (fields after such a line too).
    /// </summary>
    private SmtpReply? HeaderRefusal()
    {
        SmtpOptions options = _session.Context.Options;
        long largest = Math.Max(_cleanup.LargestHeaderField, Math.Max(_parts.OwnLargestField, _parts.LargestField));
        int most = Math.Max(_cleanup.HeaderFieldCount, Math.Max(_parts.OwnFields, _parts.MostFields));
        return largest > options.MaxHeaderFieldSize ? SmtpReplies.HeaderFieldTooBig
            : most > options.MaxHeaderFields ? SmtpReplies.TooManyHeaderFields
            : null;
    }

    /// <summary>Port 25 mail from a client that is neither authenticated nor trusted gets Authentication-Results.</summary>
    private static bool ChecksAuthentication(SmtpSession session) =>
        session.Context.Policy is { Enabled: true } && !session.Context.IsSubmission && !session.MayRelay;

    /// <summary>
    /// Port 25 mail from a client that is neither authenticated nor trusted is checked before it is acknowledged
    /// (SPF, DKIM, ARC, DMARC): a refusing policy answers here; otherwise the results go in front of the message.
    /// </summary>
    private async ValueTask<SmtpReply?> AuthenticationRefusalAsync(CancellationToken cancellationToken)
    {
        Policy.InboundChecker? policy = _session.Context.Policy;
        if (policy is null || !ChecksAuthentication(_session))
        {
            return null;
        }

        Policy.InboundDecision decision;
        try
        {
            await using Stream content = _submission.OpenWrittenContent();
            decision = await policy.CheckAsync(QueueId, _session.Client.RemoteEndPoint.Address, _session.Helo ?? "", _session.Mail?.Sender ?? "",
                _session.Hostname, content, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The spooled copy could not be read back: a local fault, so the client retries (Postfix's tempfail).
            SmtpLog.PolicyCheckFailed(_session.Context.Diagnostics, ex, QueueId);
            return UncheckableLocally;
        }
        catch (Exception ex) when (ex is FormatException or MimeKit.ParseException or ArgumentException)
        {
            // A header no parser can read would otherwise pass unchecked, and with it a forged From past DMARC
            // p=reject; a message that cannot be checked is refused, as it is not mail (RFC 5322) to begin with.
            SmtpLog.PolicyCheckFailed(_session.Context.Diagnostics, ex, QueueId);
            return Unparseable;
        }

        if (decision.Action is Policy.InboundAction.Reject or Policy.InboundAction.Defer)
        {
            return new SmtpReply(decision.ReplyCode, decision.ReplyDsn, decision.ReplyText);
        }

        _annotation = new MessageAnnotation(decision.HeaderPrefix, decision.Results.Summary, decision.Action == Policy.InboundAction.Quarantine);
        return null;
    }

    /// <summary>Logs a refused chunk or message (Postfix: <c>ID: reject: DATA from …</c>).</summary>
    public void LogRefusal(string command, SmtpReply reply)
    {
        SmtpLog.ContentRejected(_session.Context.Smtpd, QueueId, command, _session.ClientName, _session.ClientAddress, reply.ToString(), _session.Mail?.Sender ?? "", _session.LogProtocol, _session.Helo ?? "");
        SmtpMetrics.Rejected(_session, "data", reply);
    }

    public async ValueTask DisposeAsync()
    {
        Pump.Dispose();
        await _submission.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask WriteContentAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_writeFailed)
        {
            return;
        }

        _parts.Write(data.Span);
        try
        {
            await _cleanup.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep reading the client's content to its end so the session stays in step; answer 451 then.
            SmtpLog.QueueWriteFailed(_session.Context.Diagnostics, ex, QueueId);
            _writeFailed = true;
            _writeFailure = ex;
        }
    }

    private (string MessageId, string Date) CreateMissingHeaders()
    {
        DateTimeOffset now = _session.Context.TimeProvider.GetLocalNow();
        string stamp = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return ($"<{stamp}.{QueueId}@{_session.Hostname}>", Rfc5322Date.Format(now));
    }
}

using Mailroom.Core;
using Mailroom.Directory;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mailroom.Queue.Bounces;

/// <summary>
/// Postfix's bounce daemon: turns final outcomes into delivery status notifications to the envelope
/// sender, submitted through the queue itself with the null sender <c>&lt;&gt;</c> (RFC 5321 §4.5.5), so that
/// a notice that cannot be delivered is never answered by another one.
/// </summary>
internal sealed class BounceNotifier
{
    private readonly QueueOptions _options;
    private readonly IMessageSubmitter _submitter;
    private readonly IMailDirectory? _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _bounceLog;

    public BounceNotifier(QueueOptions options, IMessageSubmitter submitter, IMailDirectory? directory, TimeProvider time, ILogger bounceLog)
    {
        _options = options;
        _submitter = submitter;
        _directory = directory;
        _time = time;
        _bounceLog = bounceLog;
    }

    /// <summary>Sends the notice of <paramref name="kind"/> for <paramref name="recipients"/>; returns its queue id, or null if none was due.</summary>
    public async ValueTask<string?> SendAsync(string queueId, Envelope envelope, Func<Stream> openOriginal, long size, DsnKind kind,
        IReadOnlyList<DsnRecipient> recipients, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0 || envelope.Sender.Length == 0)
        {
            return null;
        }

        IReadOnlyList<EnvelopeRecipient> to = await Delivery.RecipientRouter.RouteAsync(_directory, envelope.Sender, DsnNotify.Never, cancellationToken).ConfigureAwait(false);
        if (to.Count == 0)
        {
            return null;
        }

        // RFC 3461 §4.3: RET=HDRS asks for headers only; delay and success notices carry headers only
        // (Postfix does the same); a failure notice returns the message up to the size limit.
        bool full = kind == DsnKind.Failure && envelope.Return != DsnReturn.Headers && size <= _options.BounceSizeLimit;
        var bounceEnvelope = new Envelope
        {
            Sender = string.Empty,
            Recipients = to,
            ArrivalTime = _time.GetUtcNow(),
            ClientName = "localhost",
            ClientAddress = "127.0.0.1",
            Protocol = "local",
            BodyType = BodyType.EightBitMime,
            SmtpUtf8 = envelope.SmtpUtf8,
        };

        Stream original = openOriginal();
        await using (original.ConfigureAwait(false))
        {
            using MimeMessage dsn = await DsnMessageBuilder.BuildAsync(_options.HostName, queueId, envelope, kind, recipients, original, full, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            IMessageSubmission submission = await _submitter.BeginAsync(bounceEnvelope, cancellationToken).ConfigureAwait(false);
            await using (submission.ConfigureAwait(false))
            {
                var format = FormatOptions.Default.Clone();
                format.NewLineFormat = NewLineFormat.Dos;
                await dsn.WriteToAsync(format, submission.Content, cancellationToken).ConfigureAwait(false);
                await submission.CommitAsync(cancellationToken).ConfigureAwait(false);
                switch (kind)
                {
                    case DsnKind.Failure:
                        BounceMaillog.NonDelivery(_bounceLog, queueId, submission.QueueId);
                        break;
                    case DsnKind.Delay:
                        BounceMaillog.Delay(_bounceLog, queueId, submission.QueueId);
                        break;
                    default:
                        BounceMaillog.Success(_bounceLog, queueId, submission.QueueId);
                        break;
                }

                return submission.QueueId;
            }
        }
    }
}

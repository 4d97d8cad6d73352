using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Core;
using Mailroom.Policy;
using MimeKit;
using Envelope = Mailroom.Core.Envelope;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// One delivery attempt to one destination: tries its addresses in order (RFC 5321 §5.1) until one
/// holds a transaction, then sends every recipient in that one transaction and reports each outcome.
/// </summary>
internal sealed class SmtpDestinationSender
{
    private readonly RemoteDeliveryOptions _options;
    private readonly SmtpConnectionCache _cache;
    private readonly TimeProvider _time;
    private readonly OutboundAuthenticator? _authenticator;

    public SmtpDestinationSender(RemoteDeliveryOptions options, SmtpConnectionCache cache, TimeProvider time, OutboundAuthenticator? authenticator)
    {
        _options = options;
        _cache = cache;
        _time = time;
        _authenticator = authenticator;
    }

    public async ValueTask<RemoteDeliveryResult[]> SendAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, string sender,
        IReadOnlyList<SmtpTarget> targets, TlsPolicy tls, NetworkCredential? credential, long started, CancellationToken cancellationToken)
    {
        RemoteFailure failure = new(DeliveryStatus.Deferred, "4.4.1", "no address to connect to");
        foreach (SmtpTarget target in targets.Take(_options.MaxAddressesPerAttempt))
        {
            for (int round = 0; round < 2; round++)
            {
                // A cached session may have been closed by the server meanwhile: then retry once on a new one.
                RelayClient? client = round == 0 ? _cache.TryTake(target) : null;
                bool cached = client is not null;
                if (client is null)
                {
                    (client, RemoteFailure? connectFailure) = await ConnectAsync(target, tls, credential, cancellationToken).ConfigureAwait(false);
                    if (client is null)
                    {
                        failure = connectFailure!;
                        break;
                    }
                }

                TimeSpan setup = _time.GetElapsedTime(started);
                long sending = _time.GetTimestamp();
                SmtpTransaction transaction = await TransactAsync(client, message, recipients, sender, cancellationToken).ConfigureAwait(false);
                TimeSpan transmission = _time.GetElapsedTime(sending);
                if (transaction.Reusable)
                {
                    _cache.Return(client);
                }
                else
                {
                    await SmtpConnectionCache.QuitAsync(client).ConfigureAwait(false);
                }

                if (transaction.LostCachedSession && cached)
                {
                    continue;
                }

                if (transaction.TryNextHost is { } next)
                {
                    failure = next;
                    break;
                }

                return transaction.Results(target, setup, transmission);
            }
        }

        return [.. recipients.Select(_ => ToResult(failure, TimeSpan.Zero, TimeSpan.Zero))];
    }

    internal static RemoteDeliveryResult ToResult(RemoteFailure failure, TimeSpan setup, TimeSpan transmission) =>
        new(failure.Status, failure.Dsn, failure.Text, failure.Relay, setup, transmission) { RemoteReply = failure.RemoteReply };

    private async ValueTask<(RelayClient? Client, RemoteFailure? Failure)> ConnectAsync(SmtpTarget target, TlsPolicy tls, NetworkCredential? credential, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(target.Address, target.Port), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            string reason = ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "Connection refused"
                : ex is SocketException se && se.SocketErrorCode != SocketError.TimedOut ? se.Message
                : "Connection timed out";
            return (null, new RemoteFailure(DeliveryStatus.Deferred, "4.4.1", $"connect to {target.Relay}: {reason}", target.Relay));
        }

        var client = new RelayClient(target)
        {
            LocalDomain = _options.HeloName,
            Timeout = (int)_options.CommandTimeout.TotalMilliseconds,
            CheckCertificateRevocation = false,
        };
        if (tls != TlsPolicy.Verify)
        {
            // RFC 7435 opportunistic security: an unverified certificate still beats plaintext.
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }

        SecureSocketOptions secure = tls switch
        {
            TlsPolicy.None => SecureSocketOptions.None,
            TlsPolicy.Opportunistic => SecureSocketOptions.StartTlsWhenAvailable,
            _ => SecureSocketOptions.StartTls,
        };
        try
        {
            await client.ConnectAsync(socket, target.Host, target.Port, secure, cancellationToken).ConfigureAwait(false);
            if (credential is not null)
            {
                await client.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
            }

            return (client, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            socket.Dispose();
            return (null, DescribeSetupFailure(target, ex));
        }
    }

    /// <summary>
    /// Seals and signs for this next hop. MailKit re-encodes unsigned messages for the server's capabilities but leaves
    /// signed ones alone, so the message is prepared here, as MailKit would, before anything is signed, and written
    /// in the form MailKit writes signed messages (no re-encoding of headers to UTF-8).
    /// </summary>
    private async ValueTask<FormatOptions> SignAsync(RelayClient client, QueuedMessage message, MimeMessage mime, IReadOnlyList<EnvelopeRecipient> recipients,
        CancellationToken cancellationToken)
    {
        EncodingConstraint constraint = (client.Capabilities & SmtpCapabilities.BinaryMime) != 0 ? EncodingConstraint.None
            : (client.Capabilities & SmtpCapabilities.EightBitMime) != 0 ? EncodingConstraint.EightBit
            : EncodingConstraint.SevenBit;
        mime.Prepare(constraint, 998);
        FormatOptions format = RelayFormat.Options(message.Envelope).Clone();
        format.International = false;
        await _authenticator!.PrepareAsync(message.QueueId, mime, format, message.Envelope, recipients, cancellationToken).ConfigureAwait(false);
        return format;
    }

    private static RemoteFailure DescribeSetupFailure(SmtpTarget target, Exception ex)
    {
        string relay = target.Relay;
        switch (ex)
        {
            case SmtpCommandException command:
                string reply = SmtpReply.Format((int)command.StatusCode, command.Message);
                return new RemoteFailure(SmtpReply.Status((int)command.StatusCode), SmtpReply.Dsn((int)command.StatusCode, command.Message),
                    SmtpReply.Said(target, reply, "initial greeting"), relay, reply);
            case NotSupportedException:
                return new RemoteFailure(DeliveryStatus.Deferred, "4.7.4", $"TLS is required, but was not offered by host {target.Host}[{target.Address}]", relay);
            case SslHandshakeException or System.Security.Authentication.AuthenticationException:
                return new RemoteFailure(DeliveryStatus.Deferred, "4.7.5", $"Cannot start TLS: handshake failure with {target.Host}[{target.Address}]", relay);
            case MailKit.Security.AuthenticationException auth:
                return new RemoteFailure(DeliveryStatus.Deferred, "4.7.0", $"SASL authentication failed; server {target.Host}[{target.Address}] said: {auth.Message}", relay);
            case OperationCanceledException or TimeoutException:
                return new RemoteFailure(DeliveryStatus.Deferred, "4.4.2", $"conversation with {target.Host}[{target.Address}] timed out while receiving the initial server greeting", relay);
            default:
                return new RemoteFailure(DeliveryStatus.Deferred, "4.4.2", $"lost connection with {target.Host}[{target.Address}] while receiving the initial server greeting", relay);
        }
    }

    private async ValueTask<SmtpTransaction> TransactAsync(RelayClient client, QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, string envelopeSender,
        CancellationToken cancellationToken)
    {
        Envelope envelope = message.Envelope;
        IReadOnlyList<MailboxAddress> mailboxes = client.Begin(envelope, recipients);
        var transaction = new SmtpTransaction(client, mailboxes);
        Stream content = message.OpenContent();
        await using (content.ConfigureAwait(false))
        {
            try
            {
                // persistent: the parts stay as ranges of the spool file, so the body is streamed, never held
                // in memory, and written back byte for byte.
                MimeMessage mime = await MimeMessage.LoadAsync(content, persistent: true, cancellationToken).ConfigureAwait(false);
                using (mime)
                {
                    FormatOptions format = RelayFormat.Options(envelope);
                    if (_authenticator is not null)
                    {
                        format = await SignAsync(client, message, mime, recipients, cancellationToken).ConfigureAwait(false);
                    }

                    var sender = new MailboxAddress(string.Empty, envelopeSender);
                    string reply = await client.SendAsync(format, mime, sender, mailboxes, cancellationToken).ConfigureAwait(false);
                    transaction.Accepted(reply);
                }
            }
            catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.SenderNotAccepted)
            {
                transaction.Failed((int)ex.StatusCode, ex.Message, "MAIL FROM command", tryNextHost: ex.StatusCode < (SmtpStatusCode)500);
            }
            catch (SmtpCommandException ex)
            {
                transaction.Failed((int)ex.StatusCode, ex.Message, ex.ErrorCode == SmtpErrorCode.MessageNotAccepted ? "end of DATA command" : "RCPT TO command", tryNextHost: false);
            }
            catch (NoRecipientsAcceptedException)
            {
                transaction.NoneAccepted();
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or ServiceNotConnectedException or SocketException or TimeoutException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                transaction.Lost(ex is TimeoutException or OperationCanceledException);
            }
        }

        return transaction;
    }
}

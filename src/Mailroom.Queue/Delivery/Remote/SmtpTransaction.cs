using MailKit.Net.Smtp;
using MimeKit;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>What one SMTP transaction did to each recipient, worded as Postfix's smtp agent logs it.</summary>
internal sealed class SmtpTransaction
{
    private readonly RelayClient _client;
    private readonly IReadOnlyList<MailboxAddress> _mailboxes;
    private string? _acceptedReply;
    private (int Code, string Text, string Command)? _failure;
    private bool _timedOut;

    public SmtpTransaction(RelayClient client, IReadOnlyList<MailboxAddress> mailboxes)
    {
        _client = client;
        _mailboxes = mailboxes;
    }

    /// <summary>The session may carry the next message (Postfix caches only after a clean transaction).</summary>
    public bool Reusable => _acceptedReply is not null && _client.IsConnected;

    /// <summary>The connection broke; nothing is final except refused recipients.</summary>
    public bool LostCachedSession { get; private set; }

    /// <summary>A temporary MAIL FROM refusal: the next MX host may do better (RFC 5321 §5.1).</summary>
    public RemoteFailure? TryNextHost { get; private set; }

    public void Accepted(string reply) => _acceptedReply = reply;

    public void Failed(int code, string text, string command, bool tryNextHost)
    {
        if (tryNextHost)
        {
            string reply = SmtpReply.Format(code, text);
            TryNextHost = new RemoteFailure(SmtpReply.Status(code), SmtpReply.Dsn(code, text), SmtpReply.Said(_client.Target, reply, command), _client.Target.Relay, reply);
            return;
        }

        _failure = (code, text, command);
    }

    public void NoneAccepted()
    {
        // Every recipient has its own refusal in RelayClient.Refused.
    }

    public void Lost(bool timedOut)
    {
        LostCachedSession = true;
        _timedOut = timedOut;
    }

    public RemoteDeliveryResult[] Results(SmtpTarget target, TimeSpan setup, TimeSpan transmission)
    {
        string relay = target.Relay;
        bool nextHopLacksDsn = !_client.Capabilities.HasFlag(SmtpCapabilities.Dsn);
        var results = new RemoteDeliveryResult[_mailboxes.Count];
        for (int i = 0; i < results.Length; i++)
        {
            if (_client.Refused.TryGetValue(_mailboxes[i], out SmtpResponse? refused))
            {
                results[i] = Said(target, (int)refused.StatusCode, refused.Response, "RCPT TO command", setup, transmission);
            }
            else if (_failure is { } failure)
            {
                results[i] = Said(target, failure.Code, failure.Text, failure.Command, setup, transmission);
            }
            else if (_acceptedReply is { } reply)
            {
                string line = SmtpReply.Format(250, reply);
                results[i] = new RemoteDeliveryResult(DeliveryStatus.Sent, SmtpReply.Dsn(250, reply), line, relay, setup, transmission)
                {
                    RemoteReply = line,
                    RelayedWithoutDsn = nextHopLacksDsn,
                };
            }
            else
            {
                string text = _timedOut
                    ? $"conversation with {target.Host}[{target.Address}] timed out while sending message"
                    : $"lost connection with {target.Host}[{target.Address}] while sending message";
                results[i] = new RemoteDeliveryResult(DeliveryStatus.Deferred, "4.4.2", text, relay, setup, transmission);
            }
        }

        return results;
    }

    private static RemoteDeliveryResult Said(SmtpTarget target, int code, string text, string command, TimeSpan setup, TimeSpan transmission)
    {
        string reply = SmtpReply.Format(code, text);
        return new RemoteDeliveryResult(SmtpReply.Status(code), SmtpReply.Dsn(code, text), SmtpReply.Said(target, reply, command), target.Relay, setup, transmission)
        {
            RemoteReply = reply,
        };
    }
}

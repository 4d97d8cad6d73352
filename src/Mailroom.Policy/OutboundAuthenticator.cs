using Mailroom.Core;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Srs;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mailroom.Policy;

/// <summary>
/// What outbound delivery does to a message for the next hop: the envelope sender of forwarded mail rewritten by SRS,
/// an ARC seal when an alias forwards mail that came from outside, and DKIM signatures.
/// <para>
/// Which key signs depends on where the message came from. Mail from our own users, trusted networks and this server
/// (bounces) is signed for its From domain (or its organizational domain), else for its envelope sender's domain.
/// Mail that came from outside (<see cref="Envelope.Authentication"/> is set) is never signed with a key aligned to
/// its From domain, whatever that domain claims: it gets the forwarding domain's signature only, so that nobody can
/// launder a spoofed From: of one of our domains through an alias.
/// </para>
/// </summary>
public sealed class OutboundAuthenticator
{
    private readonly DkimKeyStore _keys;
    private readonly DkimOptions _dkim;
    private readonly ArcOptions _arc;
    private readonly SrsOptions _srsOptions;
    private readonly Lazy<SrsRewriter> _srs;
    private readonly PublicSuffixList _suffixes;
    private readonly string _authservId;
    private readonly TimeProvider _time;
    private readonly ILogger _dkimLog;
    private readonly ILogger _qmgrLog;

    public OutboundAuthenticator(DkimKeyStore keys, DkimOptions dkim, ArcOptions arc, SrsOptions srs, PublicSuffixList suffixes, string authservId,
        TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(srs);
        _keys = keys;
        _dkim = dkim;
        _arc = arc;
        _srsOptions = srs;
        _srs = new Lazy<SrsRewriter>(() => new SrsRewriter(SrsRewriter.LoadSecrets(srs.SecretFile), srs.MaxAgeDays, timeProvider));
        _suffixes = suffixes;
        _authservId = authservId;
        _time = timeProvider;
        _dkimLog = loggerFactory.CreateLogger(MaillogCategories.Dkim);
        _qmgrLog = loggerFactory.CreateLogger(MaillogCategories.Qmgr);
    }

    public SrsRewriter Srs => _srs.Value;

    /// <summary>An alias expanded this recipient to an address elsewhere (its mail is being forwarded).</summary>
    public static bool IsForwarded(EnvelopeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Route == RecipientRoute.Remote && !recipient.Address.Equals(recipient.OriginalAddress, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The MAIL FROM for <paramref name="recipient"/>: SRS-rewritten at the forwarding domain (or <c>Srs:Domain</c>) when
    /// mail from outside is forwarded, so that SPF passes at the next hop; otherwise the envelope's sender.
    /// </summary>
    public string EnvelopeSender(string queueId, Envelope envelope, EnvelopeRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_srsOptions.Enabled || envelope.Sender.Length == 0 || envelope.Authentication is null || !IsForwarded(recipient))
        {
            return envelope.Sender;
        }

        string domain = _srsOptions.Domain ?? Domain(recipient.OriginalAddress);
        string rewritten = _srs.Value.Forward(envelope.Sender, domain);
        if (!rewritten.Equals(envelope.Sender, StringComparison.Ordinal))
        {
            PolicyLog.SrsForward(_qmgrLog, queueId, envelope.Sender, rewritten);
        }

        return rewritten;
    }

    /// <summary>Seals and signs <paramref name="message"/> in place for delivery to <paramref name="recipients"/>.</summary>
    public async ValueTask PrepareAsync(string queueId, MimeMessage message, FormatOptions format, Envelope envelope, IReadOnlyList<EnvelopeRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipients);
        EnvelopeRecipient? forwarded = recipients.FirstOrDefault(IsForwarded);
        string? fromDomain = message.From.Mailboxes.FirstOrDefault()?.Domain?.ToLowerInvariant();
        bool fromOutside = envelope.Authentication is not null;
        try
        {
            if (fromOutside && forwarded is not null && _arc.Seal)
            {
                string forwarder = Domain(forwarded.OriginalAddress);
                DkimKey? key = _keys.SigningKeys(forwarder).OrderBy(k => k.Algorithm == DkimAlgorithm.Ed25519).FirstOrDefault();
                if (key is not null && await ArcSealer.SealAsync(message, format, key, _authservId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                {
                    PolicyLog.SealAdded(_dkimLog, queueId, key.Selector, key.Domain);
                }
            }

            if (!_dkim.Sign || fromDomain is null && envelope.Sender.Length == 0 && forwarded is null)
            {
                return;
            }

            IReadOnlyList<DkimKey> keys = fromOutside ? ForwarderKeys(forwarded, fromDomain) : OwnKeys(fromDomain, envelope.Sender);
            if (keys.Count == 0)
            {
                return;
            }

            foreach (DkimKey key in DkimSigning.Sign(message, format, keys, _time.GetUtcNow()))
            {
                PolicyLog.SignatureAdded(_dkimLog, queueId, key.Selector, key.Domain);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or FormatException or Org.BouncyCastle.Crypto.CryptoException)
        {
            // An unreadable key or an unsignable message: send it unsigned rather than not at all, and say so.
            PolicyLog.SigningFailed(_dkimLog, queueId, fromDomain ?? "", ex.Message);
        }
    }

    private IReadOnlyList<DkimKey> OwnKeys(string? fromDomain, string sender)
    {
        if (fromDomain is not null)
        {
            IReadOnlyList<DkimKey> keys = _keys.SigningKeys(fromDomain);
            if (keys.Count > 0)
            {
                return keys;
            }

            string organization = _suffixes.OrganizationalDomain(fromDomain);
            keys = organization == fromDomain ? [] : _keys.SigningKeys(organization);
            if (keys.Count > 0)
            {
                return keys;
            }
        }

        return sender.Length > 0 ? _keys.SigningKeys(Domain(sender)) : [];
    }

    private IReadOnlyList<DkimKey> ForwarderKeys(EnvelopeRecipient? forwarded, string? fromDomain)
    {
        if (forwarded is null)
        {
            return [];
        }

        string forwarder = _srsOptions.Domain ?? Domain(forwarded.OriginalAddress);
        bool aligned = fromDomain is not null
            && _suffixes.OrganizationalDomain(forwarder).Equals(_suffixes.OrganizationalDomain(fromDomain), StringComparison.Ordinal);
        return aligned ? [] : _keys.SigningKeys(forwarder);
    }

    private static string Domain(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();
}

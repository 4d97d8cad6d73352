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
    private volatile OutboundSettings _settings;
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
        _settings = OutboundSettings.Create(dkim, arc, srs, timeProvider);
        _suffixes = suffixes;
        _authservId = authservId;
        _time = timeProvider;
        _dkimLog = loggerFactory.CreateLogger(MaillogCategories.Dkim);
        _qmgrLog = loggerFactory.CreateLogger(MaillogCategories.Qmgr);
    }

    public SrsRewriter Srs => _settings.Rewriter.Value;

    /// <summary>
    /// Takes a reloaded configuration's <c>Dkim:Sign</c>, <c>Arc:Seal</c> and <c>Srs</c> settings for the messages
    /// prepared from now on; the SRS secret file is read again at its next use, so a secret added in front of the
    /// old ones (rotation) signs new addresses while the old ones still reverse. The key directory and the secret
    /// file's path stay those of the start: the server made them private to its user then.
    /// </summary>
    public void Reconfigure(DkimOptions dkim, ArcOptions arc, SrsOptions srs)
    {
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(arc);
        ArgumentNullException.ThrowIfNull(srs);
        string secretFile = _settings.Srs.SecretFile;
        SrsOptions kept = new() { Enabled = srs.Enabled, Domain = srs.Domain, MaxAgeDays = srs.MaxAgeDays, SecretFile = secretFile };
        _settings = OutboundSettings.Create(dkim, arc, kept, _time);
    }

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
        OutboundSettings settings = _settings;
        if (!settings.Srs.Enabled || envelope.Sender.Length == 0 || envelope.Authentication is null || !IsForwarded(recipient))
        {
            return envelope.Sender;
        }

        string domain = settings.Srs.Domain ?? Domain(recipient.OriginalAddress);
        string rewritten = settings.Rewriter.Value.Forward(envelope.Sender, domain);
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
        OutboundSettings settings = _settings;
        try
        {
            if (fromOutside && forwarded is not null && settings.Arc.Seal)
            {
                string forwarder = Domain(forwarded.OriginalAddress);
                DkimKey? key = _keys.SigningKeys(forwarder).OrderBy(k => k.Algorithm == DkimAlgorithm.Ed25519).FirstOrDefault();
                if (key is not null && await ArcSealer.SealAsync(message, format, key, _authservId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                {
                    PolicyLog.SealAdded(_dkimLog, queueId, key.Selector, key.Domain);
                }
            }

            if (!settings.Dkim.Sign || fromDomain is null && envelope.Sender.Length == 0 && forwarded is null)
            {
                return;
            }

            IReadOnlyList<DkimKey> keys = fromOutside ? ForwarderKeys(forwarded, fromDomain, settings.Srs) : OwnKeys(fromDomain, envelope.Sender);
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

    private IReadOnlyList<DkimKey> ForwarderKeys(EnvelopeRecipient? forwarded, string? fromDomain, SrsOptions srs)
    {
        if (forwarded is null)
        {
            return [];
        }

        string forwarder = srs.Domain ?? Domain(forwarded.OriginalAddress);
        bool aligned = fromDomain is not null
            && _suffixes.OrganizationalDomain(forwarder).Equals(_suffixes.OrganizationalDomain(fromDomain), StringComparison.Ordinal);
        return aligned ? [] : _keys.SigningKeys(forwarder);
    }

    private static string Domain(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();
}

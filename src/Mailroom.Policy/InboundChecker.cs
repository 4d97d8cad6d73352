using System.Net;
using Mailroom.Core;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Authentication;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Mailroom.Policy;

/// <summary>
/// The checks of a message received on port 25 from an untrusted client, before it is acknowledged: SPF of the
/// envelope, DKIM signatures, the ARC chain, then DMARC over them; the verdict carries the Authentication-Results
/// and Received-SPF fields to put in front of the message and the reply of a refusing policy (<c>550 5.7.1</c> for
/// DMARC reject, <c>451 4.7.1</c> when a DNS failure hides what that policy needs).
/// </summary>
public sealed class InboundChecker
{
    private readonly SpfOptions _spfOptions;
    private readonly DkimOptions _dkimOptions;
    private readonly DmarcOptions _dmarcOptions;
    private readonly ArcOptions _arcOptions;
    private readonly SpfChecker _spf;
    private readonly DkimChecker _dkim;
    private readonly ArcChecker _arc;
    private readonly DmarcChecker _dmarc;
    private readonly ILogger _spfLog;
    private readonly ILogger _dkimLog;
    private readonly ILogger _dmarcLog;

    public InboundChecker(IDnsResolver dns, SpfOptions spf, DkimOptions dkim, DmarcOptions dmarc, ArcOptions arc, PublicSuffixList suffixes,
        TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(dns, spf, dkim, dmarc, arc, suffixes, timeProvider, loggerFactory, Random.Shared)
    {
    }

    internal InboundChecker(IDnsResolver dns, SpfOptions spf, DkimOptions dkim, DmarcOptions dmarc, ArcOptions arc, PublicSuffixList suffixes,
        TimeProvider timeProvider, ILoggerFactory loggerFactory, Random random)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _spfOptions = spf;
        _dkimOptions = dkim;
        _dmarcOptions = dmarc;
        _arcOptions = arc;
        _spf = new SpfChecker(dns, spf.Limits, timeProvider);
        _dkim = new DkimChecker(dns, dkim, timeProvider);
        _arc = new ArcChecker(dns, arc, dkim.MinimumRsaKeyBits);
        _dmarc = new DmarcChecker(dns, suffixes, dmarc, random);
        _spfLog = loggerFactory.CreateLogger(MaillogCategories.Spf);
        _dkimLog = loggerFactory.CreateLogger(MaillogCategories.Dkim);
        _dmarcLog = loggerFactory.CreateLogger(MaillogCategories.Dmarc);
    }

    /// <summary>Any check is on at all (otherwise the SMTP server skips reading the message back).</summary>
    public bool Enabled => _spfOptions.Enabled || _dkimOptions.Verify || _dmarcOptions.Enabled || _arcOptions.Verify;

    /// <param name="content">The message as received (seekable), this server's Received field first.</param>
    /// <param name="authservId">This server's authserv-id (its host name).</param>
    public async ValueTask<InboundDecision> CheckAsync(string queueId, IPAddress client, string helo, string mailFrom, string authservId,
        Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(content);
        var results = new InboundAuthentication { ClientAddress = client.ToString(), Helo = helo, MailFrom = mailFrom, Receiver = authservId };
        SpfVerdict? spf = null;
        if (_spfOptions.Enabled)
        {
            spf = await _spf.CheckMailFromAsync(client, mailFrom, helo, authservId, cancellationToken).ConfigureAwait(false);
            PolicyLog.Spf(_spfLog, queueId, Capitalized(spf.Keyword), results.SpfIdentity, results.ClientAddress, helo, mailFrom, authservId, spf.Domain,
                spf.Mechanism ?? "none", spf.Record ?? "", spf.Problem is null ? "" : $"; problem={spf.Problem}");
        }

        using MimeMessage message = await MimeMessage.LoadAsync(content, persistent: true, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DkimSignatureResult> dkim = [];
        if (_dkimOptions.Verify || _dmarcOptions.Enabled)
        {
            dkim = await _dkim.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
            foreach (DkimSignatureResult signature in dkim)
            {
                PolicyLog.SignatureVerified(_dkimLog, queueId, signature.Selector, signature.Domain, signature.Algorithm, signature.Result, signature.Reason is null ? "" : $" ({signature.Reason})");
            }
        }

        ArcVerdict? arc = null;
        if (_arcOptions.Verify)
        {
            arc = await _arc.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
            if (arc.Result != "none")
            {
                PolicyLog.Arc(_dmarcLog, queueId, arc.Result, (arc.LatestSealer is { } s ? $" (i={arc.Hops[^1].Instance} d={s})" : "") + (arc.Problem is null ? "" : $" ({arc.Problem})"));
            }
        }

        DmarcVerdict? dmarc = null;
        if (_dmarcOptions.Enabled)
        {
            string? fromDomain = FromDomain(message);
            string spfDomain = mailFrom.Length == 0 ? helo : mailFrom[(mailFrom.LastIndexOf('@') + 1)..];
            string? vouch = arc is null ? null : _arc.TrustedVouch(arc, fromDomain);
            dmarc = await _dmarc.CheckAsync(fromDomain, spf, spfDomain, dkim, vouch, cancellationToken).ConfigureAwait(false);
            PolicyLog.Dmarc(_dmarcLog, queueId, dmarc.Result, dmarc.Record is null ? "p=none dis=none" : dmarc.Comment, dmarc.FromDomain,
                (dmarc.Record is null ? "" : $"; record=\"{dmarc.Record.Text}\"") + (dmarc.Problem is null ? "" : $"; {dmarc.Problem}"));
        }

        results = results with { Spf = spf, Dkim = dkim, DkimChecked = _dkimOptions.Verify || _dmarcOptions.Enabled, Dmarc = dmarc, Arc = arc };
        string prefix = AuthenticationResultsHeader.Build(authservId, results);
        return Decide(results, prefix);
    }

    private InboundDecision Decide(InboundAuthentication results, string prefix)
    {
        if (results.Dmarc is { Result: "fail" } dmarc)
        {
            switch (dmarc.Disposition)
            {
                case DmarcPolicy.Reject when dmarc.MightPassLater:
                    return new InboundDecision(InboundAction.Defer, results, prefix)
                    {
                        ReplyCode = 451, ReplyDsn = "4.7.1", ReplyText = $"Temporary DMARC evaluation failure for {dmarc.FromDomain}, try again later",
                    };
                case DmarcPolicy.Reject:
                    // RFC 7489 §6.7 / §10.3: the text names the policy so the sender can tell why.
                    return new InboundDecision(InboundAction.Reject, results, prefix)
                    {
                        ReplyCode = 550, ReplyDsn = "5.7.1", ReplyText = $"Rejected by DMARC policy for {dmarc.FromDomain}",
                    };
                case DmarcPolicy.Quarantine:
                    return new InboundDecision(InboundAction.Quarantine, results, prefix);
                default:
                    break;
            }
        }

        if (_spfOptions.RejectFail && results.Spf is { } spf)
        {
            // RFC 7372 §3.2: X.7.23 SPF validation failed, X.7.24 SPF validation error.
            if (spf.Result == SpfResult.Fail)
            {
                string text = spf.Explanation ?? $"SPF fail - not authorized to send for {spf.Domain}";
                return new InboundDecision(InboundAction.Reject, results, prefix) { ReplyCode = 550, ReplyDsn = "5.7.23", ReplyText = text };
            }

            if (spf.Result == SpfResult.TempError)
            {
                return new InboundDecision(InboundAction.Defer, results, prefix) { ReplyCode = 451, ReplyDsn = "4.7.24", ReplyText = $"Temporary SPF validation error for {spf.Domain}, try again later" };
            }
        }

        return new InboundDecision(InboundAction.Accept, results, prefix);
    }

    /// <summary>RFC 7489 §6.6.1: the domain of the one From address; null when there is not exactly one.</summary>
    private static string? FromDomain(MimeMessage message)
    {
        if (message.Headers.Count(h => h.Id == HeaderId.From) != 1)
        {
            return null;
        }

        MailboxAddress[] mailboxes = [.. message.From.Mailboxes];
        if (mailboxes.Length != 1)
        {
            return null;
        }

        string domain = mailboxes[0].Domain;
        return string.IsNullOrEmpty(domain) ? null : domain;
    }

    private static string Capitalized(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}

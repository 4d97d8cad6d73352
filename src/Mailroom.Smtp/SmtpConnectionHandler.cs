using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Smtp.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

/// <summary>
/// The SMTP server for one listener (smtp, submission or smtps): runs an SMTP session on each connection the
/// Net layer accepts. The host creates one per <see cref="ListenerBinding"/>.
/// </summary>
public sealed class SmtpConnectionHandler : IConnectionHandler
{
    private readonly ILoggerFactory _loggerFactory;
    private volatile SmtpServerContext _context;

    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
        : this(role, options, directory, submitter, authThrottle, loggerFactory, timeProvider, quota: null)
    {
    }

    /// <param name="quota">The mailboxes' quota (the store's), checked at RCPT and DATA; null: no checks here.</param>
    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IMailboxQuota? quota)
        : this(role, options, directory, submitter, authThrottle, loggerFactory, timeProvider, quota, policy: null, outbound: null)
    {
    }

    /// <param name="policy">Checks SPF, DKIM, DMARC and ARC of mail from untrusted clients at end of DATA; null: no checks.</param>
    /// <param name="outbound">Reverses SRS addresses at RCPT; null: SRS addresses are ordinary addresses.</param>
    /// <param name="filter">The recipient's filter (Sieve), run before the reply to DATA for a single local recipient so a reject is a 550; null: none.</param>
    /// <param name="abuse">DNS blocklists at RCPT on port 25 and the sending limits of authenticated sessions; null: neither.</param>
    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IMailboxQuota? quota,
        Policy.InboundChecker? policy,
        Policy.OutboundAuthenticator? outbound,
        Core.Filtering.IDeliveryFilter? filter = null,
        SmtpAbuseControls? abuse = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        _context = CreateContext(role, options.Value, directory, submitter, new LoginGate(directory, authThrottle, timeProvider), MailboxQuotaCheck.Create(quota), policy, outbound, filter, abuse, loggerFactory, timeProvider);
    }

    /// <summary>
    /// Takes a reloaded configuration's <c>Smtp</c> settings (limits, trusted networks, timeouts, …) and mail checks for
    /// the sessions that start from now on; sessions under way finish with the settings they started with.
    /// </summary>
    /// <param name="options">The reloaded <c>Smtp</c> section.</param>
    /// <param name="policy">The checks rebuilt from the reloaded <c>Spf</c> and <c>Dmarc</c> sections; null: the current checks stay.</param>
    /// <exception cref="OptionsValidationException"><c>Smtp:TrustedNetworks</c> does not parse; the current settings stay.</exception>
    public void Reconfigure(SmtpOptions options, Policy.InboundChecker? policy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        SmtpServerContext current = _context;
        _context = CreateContext(current.Role, options, current.Directory, current.Submitter, current.Login, current.Quota, policy ?? current.Policy, current.Outbound, current.Filter,
            new SmtpAbuseControls(current.Blocklists, current.SendingLimits), _loggerFactory, current.TimeProvider, current);
    }

    private static SmtpServerContext CreateContext(
        SmtpListenerRole role, SmtpOptions settings, IMailDirectory directory, IMessageSubmitter submitter, LoginGate login,
        MailboxQuotaCheck? quota, Policy.InboundChecker? policy, Policy.OutboundAuthenticator? outbound, Core.Filtering.IDeliveryFilter? filter,
        SmtpAbuseControls? abuse, ILoggerFactory loggerFactory,
        TimeProvider timeProvider, SmtpServerContext? loggersFrom = null)
    {
        if (!NetworkList.TryParse(settings.TrustedNetworks, $"{SmtpOptions.SectionName}:TrustedNetworks", out IReadOnlyList<System.Net.IPNetwork> trusted, out string? error))
        {
            throw new OptionsValidationException(SmtpOptions.SectionName, typeof(SmtpOptions), [error!]);
        }

        return new SmtpServerContext
        {
            Role = role,
            Options = settings,
            TrustedNetworks = trusted,
            Directory = directory ?? throw new ArgumentNullException(nameof(directory)),
            Submitter = submitter ?? throw new ArgumentNullException(nameof(submitter)),
            Login = login,
            Quota = quota,
            Filter = filter,
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)),
            Policy = policy,
            Outbound = outbound,
            Blocklists = abuse?.Blocklists is { Enabled: true } blocklists ? blocklists : null,
            SendingLimits = abuse?.SendingLimits,
            UserLimits = directory as ISendingLimitSource,
            Milters = CreateMilters(role, settings, loggerFactory),
            SpamHeaders = new Policy.SpamHeaders(settings.SpamHeaders),
            Postscreen = loggersFrom?.Postscreen ?? loggerFactory.CreateLogger(MaillogCategories.Postscreen),
            Smtpd = loggersFrom?.Smtpd ?? loggerFactory.CreateLogger(MaillogCategories.Smtpd),
            Cleanup = loggersFrom?.Cleanup ?? loggerFactory.CreateLogger(MaillogCategories.Cleanup),
            Diagnostics = loggersFrom?.Diagnostics ?? loggerFactory.CreateLogger<SmtpConnectionHandler>(),
        };
    }

    public SmtpListenerRole Role => _context.Role;

    private static Policy.Milter.MilterChain? CreateMilters(SmtpListenerRole role, SmtpOptions settings, ILoggerFactory loggerFactory)
    {
        IList<Policy.Milter.MilterSettings> milters = role == SmtpListenerRole.Mta ? settings.Milters : settings.SubmissionMilters;
        return milters.Count == 0
            ? null
            : new Policy.Milter.MilterChain(milters, settings.MilterMaxPacketSize, settings.MilterMaxModifications, settings.MaxMessageSize * 2, loggerFactory);
    }

    /// <summary>Port 25 draws from the MTA pool, 587 and 465 from the submission pool.</summary>
    public ListenerClass ListenerClass => _context.IsSubmission ? ListenerClass.Submission : ListenerClass.Mta;

    /// <summary>Trusted networks (Postfix's <c>mynetworks</c>) are exempt from the per-IP connection limit, as anvil exempts them.</summary>
    public bool IsExemptFromAddressLimit(System.Net.IPAddress client) => NetworkList.Contains(_context.TrustedNetworks, client);

    public Task OnConnectedAsync(MailConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new SmtpSession(connection, _context).RunAsync(stopping);
    }

    public async ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = reason == ConnectionRejection.TooManyConnectionsFromAddress
            ? $"421 4.7.0 {_context.Options.Hostname} Error: too many connections from {connection.RemoteEndPoint.Address}\r\n"
            : $"421 4.7.0 {_context.Options.Hostname} Error: too many connections\r\n";
        await connection.Output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }
}

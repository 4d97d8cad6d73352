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
    private readonly SmtpServerContext _context;

    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
        : this(role, options, directory, submitter, authThrottle, loggerFactory, timeProvider, mailboxUsage: null)
    {
    }

    /// <param name="mailboxUsage">Measures mailboxes for quota checks at RCPT/DATA (with a directory that has quotas); null: no checks here.</param>
    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        Store.MailboxUsage? mailboxUsage)
        : this(role, options, directory, submitter, authThrottle, loggerFactory, timeProvider, mailboxUsage, policy: null, outbound: null)
    {
    }

    /// <param name="policy">Checks SPF, DKIM, DMARC and ARC of mail from untrusted clients at end of DATA; null: no checks.</param>
    /// <param name="outbound">Reverses SRS addresses at RCPT; null: SRS addresses are ordinary addresses.</param>
    public SmtpConnectionHandler(
        SmtpListenerRole role,
        IOptions<SmtpOptions> options,
        IMailDirectory directory,
        IMessageSubmitter submitter,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        Store.MailboxUsage? mailboxUsage,
        Policy.InboundChecker? policy,
        Policy.OutboundAuthenticator? outbound)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        SmtpOptions settings = options.Value;
        if (!NetworkList.TryParse(settings.TrustedNetworks, $"{SmtpOptions.SectionName}:TrustedNetworks", out IReadOnlyList<System.Net.IPNetwork> trusted, out string? error))
        {
            throw new OptionsValidationException(SmtpOptions.SectionName, typeof(SmtpOptions), [error!]);
        }

        _context = new SmtpServerContext
        {
            Role = role,
            Options = settings,
            TrustedNetworks = trusted,
            Directory = directory ?? throw new ArgumentNullException(nameof(directory)),
            Submitter = submitter ?? throw new ArgumentNullException(nameof(submitter)),
            Login = new LoginGate(directory, authThrottle, timeProvider),
            Quota = MailboxQuotaCheck.Create(directory, mailboxUsage),
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)),
            Policy = policy,
            Outbound = outbound,
            Smtpd = loggerFactory.CreateLogger(MaillogCategories.Smtpd),
            Cleanup = loggerFactory.CreateLogger(MaillogCategories.Cleanup),
            Diagnostics = loggerFactory.CreateLogger<SmtpConnectionHandler>(),
        };
    }

    public SmtpListenerRole Role => _context.Role;

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

using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap;

/// <summary>
/// The IMAP server for one listener (imap or imaps): runs an IMAP session on each connection the Net layer accepts.
/// The host creates one per <see cref="ListenerBinding"/>; all share the store and its quota.
/// </summary>
public sealed class ImapConnectionHandler : IConnectionHandler
{
    private volatile ImapServerContext _context;

    public ImapConnectionHandler(
        ImapListenerRole role,
        IOptions<ImapOptions> options,
        IMailDirectory directory,
        IMailboxStore mailboxes,
        IMailboxQuota quota,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _context = new ImapServerContext
        {
            Role = role,
            Options = options.Value,
            Limits = Protocol.Mime.MessageLimits.From(options.Value),
            Mailboxes = mailboxes ?? throw new ArgumentNullException(nameof(mailboxes)),
            Quota = quota ?? throw new ArgumentNullException(nameof(quota)),
            Login = new LoginGate(directory, authThrottle, timeProvider),
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)),
            Maillog = loggerFactory.CreateLogger(MaillogCategories.Imap),
            Diagnostics = loggerFactory.CreateLogger<ImapConnectionHandler>(),
        };
    }

    /// <summary>Takes a reloaded configuration's <c>Imap</c> settings for the sessions that start from now on.</summary>
    public void Reconfigure(ImapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = _context with { Options = options };
    }

    public ImapListenerRole Role => _context.Role;

    public ListenerClass ListenerClass => ListenerClass.Imap;

    public Task OnConnectedAsync(MailConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ImapSession(connection, _context, stopping).RunAsync(stopping);
    }

    public async ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // RFC 9051 §7.1.5: BYE as the greeting refuses the connection.
        string text = reason == ConnectionRejection.TooManyConnectionsFromAddress
            ? $"* BYE [UNAVAILABLE] Too many connections from {connection.RemoteEndPoint.Address}.\r\n"
            : "* BYE [UNAVAILABLE] Too many connections.\r\n";
        await connection.Output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }
}

using System.Text;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Pop3.Server;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Pop3;

/// <summary>
/// The POP3 server for one listener (pop3 or pop3s): runs a POP3 session on each connection the Net layer accepts.
/// The host creates one per <see cref="ListenerBinding"/>; all share the <see cref="Pop3MailboxLocks"/> singleton.
/// </summary>
public sealed class Pop3ConnectionHandler : IConnectionHandler
{
    private volatile Pop3ServerContext _context;

    public Pop3ConnectionHandler(
        Pop3ListenerRole role,
        IOptions<Pop3Options> options,
        IMailDirectory directory,
        Pop3MailboxLocks locks,
        IMailboxStore store,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _context = new Pop3ServerContext
        {
            Role = role,
            Options = options.Value,
            Locks = locks ?? throw new ArgumentNullException(nameof(locks)),
            Store = store ?? throw new ArgumentNullException(nameof(store)),
            Login = new LoginGate(directory, authThrottle, timeProvider),
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)),
            Maillog = loggerFactory.CreateLogger(MaillogCategories.Pop3),
            Diagnostics = loggerFactory.CreateLogger<Pop3ConnectionHandler>(),
        };
    }

    /// <summary>Takes a reloaded configuration's <c>Pop3</c> settings for the sessions that start from now on.</summary>
    public void Reconfigure(Pop3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = _context with { Options = options };
    }

    public Pop3ListenerRole Role => _context.Role;

    public ListenerClass ListenerClass => ListenerClass.Pop3;

    public Task OnConnectedAsync(MailConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new Pop3Session(connection, _context).RunAsync(stopping);
    }

    public async ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = reason == ConnectionRejection.TooManyConnectionsFromAddress
            ? $"-ERR [SYS/TEMP] Too many connections from {connection.RemoteEndPoint.Address}.\r\n"
            : "-ERR [SYS/TEMP] Too many connections.\r\n";
        await connection.Output.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }
}

using System.Text;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.ManageSieve;

/// <summary>The ManageSieve server (RFC 5804) for its listener (4190): runs a session on each connection the Net layer accepts.</summary>
public sealed class ManageSieveConnectionHandler : IConnectionHandler
{
    private readonly ManageSieveServerContext _context;

    public ManageSieveConnectionHandler(
        IOptions<ManageSieveOptions> options,
        IOptions<SieveOptions> sieveOptions,
        SieveScriptStore scripts,
        IMailDirectory directory,
        AuthFailureThrottle authThrottle,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sieveOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        SieveOptions sieve = sieveOptions.Value;
        _context = new ManageSieveServerContext
        {
            Options = options.Value,
            Sieve = sieve,
            Scripts = scripts ?? throw new ArgumentNullException(nameof(scripts)),
            Compiler = new SieveCompiler(SieveSettings.Extensions(sieve)),
            SieveCapability = SieveSettings.Capability(sieve),
            Login = new LoginGate(directory, authThrottle, timeProvider),
            TimeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)),
            Maillog = loggerFactory.CreateLogger(MaillogCategories.ManageSieve),
            Diagnostics = loggerFactory.CreateLogger<ManageSieveConnectionHandler>(),
        };
    }

    /// <summary>Its own pool (<c>Net:Pools:ManageSieve</c>): a flood of script clients takes no IMAP slot, and the other way round.</summary>
    public ListenerClass ListenerClass => ListenerClass.ManageSieve;

    public Task OnConnectedAsync(MailConnection connection, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ManageSieveSession(connection, _context).RunAsync(stopping);
    }

    public async ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string text = reason == ConnectionRejection.TooManyConnectionsFromAddress
            ? $"BYE (TRYLATER) \"Too many connections from {connection.RemoteEndPoint.Address}.\"\r\n"
            : "BYE (TRYLATER) \"Too many connections.\"\r\n";
        await connection.Output.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }
}

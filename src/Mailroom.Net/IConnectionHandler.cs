namespace Mailroom.Net;

/// <summary>Implemented by each protocol server; one instance per listener binding.</summary>
public interface IConnectionHandler
{
    /// <summary>The connection pool this listener's connections count against (its own limits, <see cref="NetOptions.Pools"/>).</summary>
    ListenerClass ListenerClass { get; }

    /// <summary>
    /// Whether this listener trusts <paramref name="client"/> beyond <see cref="NetOptions.ConnectionLimitExemptions"/>,
    /// exempting it from the per-IP limit (SMTP: <c>Smtp:TrustedNetworks</c>, as Postfix's anvil exempts <c>mynetworks</c>).
    /// Default: no.
    /// </summary>
    bool IsExemptFromAddressLimit(System.Net.IPAddress client) => false;

    /// <summary>Runs the protocol session of an accepted connection (after implicit TLS when the listener has it).</summary>
    /// <param name="connection">The client connection; the host closes it when the returned task completes.</param>
    /// <param name="stopping">Cancelled when the server shuts down; the session should end at its next safe point.</param>
    Task OnConnectedAsync(MailConnection connection, CancellationToken stopping);

    /// <summary>
    /// Called instead of <see cref="OnConnectedAsync"/> when a limit refuses the connection (plaintext listeners
    /// only; implicit-TLS connections over a limit are simply closed): write the protocol's refusal, e.g. SMTP
    /// <c>421 4.7.0 host Error: too many connections from 1.2.3.4</c>, POP3 <c>-ERR [SYS/TEMP] ...</c>, IMAP <c>* BYE ...</c>.
    /// The host flushes the output and closes the connection afterwards.
    /// </summary>
    ValueTask OnRejectedAsync(MailConnection connection, ConnectionRejection reason, CancellationToken cancellationToken);
}

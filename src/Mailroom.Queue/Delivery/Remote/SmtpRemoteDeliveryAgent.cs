using System.Collections.Concurrent;
using System.Net;
using Mailroom.Core;
using Mailroom.Policy;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// Outbound delivery (Postfix's smtp agent): routes each recipient through the transport map, the relay
/// host or its domain's MX hosts, and delivers all recipients of one destination in one SMTP transaction,
/// with a concurrency limit per destination and cached sessions for the next message.
/// </summary>
public sealed class SmtpRemoteDeliveryAgent : IRemoteDeliveryAgent, IAsyncDisposable
{
    private readonly RemoteDeliveryOptions _options;
    private volatile TransportTable _transports;
    private readonly TargetResolver _resolver;
    private readonly SmtpConnectionCache _cache;
    private readonly SmtpDestinationSender _sender;
    private readonly TimeProvider _time;
    private readonly OutboundAuthenticator? _authenticator;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);

    public SmtpRemoteDeliveryAgent(IOptions<RemoteDeliveryOptions> options, IMxResolver resolver, TimeProvider timeProvider)
        : this(options, resolver, timeProvider, authenticator: null)
    {
    }

    /// <param name="authenticator">Signs, seals and SRS-rewrites outgoing mail; null sends messages as queued.</param>
    public SmtpRemoteDeliveryAgent(IOptions<RemoteDeliveryOptions> options, IMxResolver resolver, TimeProvider timeProvider, OutboundAuthenticator? authenticator)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _transports = new TransportTable(_options);
        _resolver = new TargetResolver(resolver, _options.MaxAddressesPerAttempt);
        _time = timeProvider;
        _cache = new SmtpConnectionCache(timeProvider, _options.ConnectionCacheTime);
        _authenticator = authenticator;
        _sender = new SmtpDestinationSender(_options, _cache, timeProvider, authenticator);
    }

    /// <summary>
    /// Takes a reloaded configuration's routing: <c>Delivery:Transports</c>, <c>RelayHost</c> and its credentials, and
    /// the TLS policies. Deliveries under way finish on the routes they started with.
    /// </summary>
    /// <exception cref="InvalidOperationException">A route does not parse; the current routing stays.</exception>
    public void Reconfigure(RemoteDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _transports = new TransportTable(options);
    }

    /// <summary>Parses the routes of <paramref name="options"/> without using them.</summary>
    /// <exception cref="InvalidOperationException">A route does not parse; the message names its key.</exception>
    public static void ValidateRoutes(RemoteDeliveryOptions options) => _ = new TransportTable(options ?? throw new ArgumentNullException(nameof(options)));

    public async ValueTask<IReadOnlyList<RemoteDeliveryResult>> DeliverAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var results = new RemoteDeliveryResult[recipients.Count];
        var destinations = new Dictionary<string, (Destination Destination, List<int> Indexes)>(StringComparer.Ordinal);
        for (int i = 0; i < recipients.Count; i++)
        {
            Destination destination = _transports.Route(recipients[i].Address);
            switch (destination.Route.Kind)
            {
                case TransportKind.Discard:
                    results[i] = new RemoteDeliveryResult(DeliveryStatus.Sent, "2.0.0", destination.Route.Text, "none", TimeSpan.Zero, TimeSpan.Zero);
                    continue;
                case TransportKind.Error:
                    results[i] = new RemoteDeliveryResult(DeliveryStatus.Bounced, "5.0.0", destination.Route.Text, "none", TimeSpan.Zero, TimeSpan.Zero);
                    continue;
                case TransportKind.Retry:
                    results[i] = new RemoteDeliveryResult(DeliveryStatus.Deferred, "4.0.0", destination.Route.Text, "none", TimeSpan.Zero, TimeSpan.Zero);
                    continue;
                default:
                    break;
            }

            // One transaction per destination and envelope sender: forwarded recipients may leave with an SRS sender.
            string sender = _authenticator?.EnvelopeSender(message.QueueId, message.Envelope, recipients[i]) ?? message.Envelope.Sender;
            string key = destination.Key + "\n" + sender;
            if (!destinations.TryGetValue(key, out var group))
            {
                group = (destination with { Sender = sender }, []);
                destinations[key] = group;
            }

            group.Indexes.Add(i);
        }

        await Task.WhenAll(destinations.Values.Select(group => DeliverToAsync(message, recipients, group.Destination, group.Indexes, results, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    public ValueTask DisposeAsync() => _cache.DisposeAsync();

    private async Task DeliverToAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> all, Destination destination, List<int> indexes,
        RemoteDeliveryResult[] results, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        EnvelopeRecipient[] recipients = [.. indexes.Select(i => all[i])];
        TargetResolution resolution = await _resolver.ResolveAsync(destination.Host, destination.Route.Port, destination.Route.MxLookup, cancellationToken).ConfigureAwait(false);
        RemoteDeliveryResult[] outcome;
        if (resolution.Failure is { } failure)
        {
            outcome = [.. recipients.Select(_ => SmtpDestinationSender.ToResult(failure, _time.GetElapsedTime(started), TimeSpan.Zero))];
        }
        else
        {
            SemaphoreSlim slot = _slots.GetOrAdd(destination.Key, _ => new SemaphoreSlim(_options.DestinationConcurrencyLimit));
            await slot.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                outcome = await _sender.SendAsync(message, recipients, destination.Sender ?? message.Envelope.Sender, resolution.Targets, destination.Tls, destination.Credential, started, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slot.Release();
            }
        }

        for (int k = 0; k < indexes.Count; k++)
        {
            results[indexes[k]] = outcome[k];
        }
    }
}

/// <summary>Where a recipient goes: its route, the host or domain to resolve, TLS and credentials.</summary>
internal sealed record Destination(string Key, TransportRoute Route, string Host, TlsPolicy Tls, NetworkCredential? Credential)
{
    /// <summary>The MAIL FROM of this group of recipients (the envelope's, or its SRS form).</summary>
    public string? Sender { get; init; }
}

using System.Collections.Concurrent;
using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>A remote agent that accepts everything and remembers what it was given.</summary>
internal sealed class RecordingRemoteAgent : IRemoteDeliveryAgent
{
    public ConcurrentQueue<(string QueueId, string[] Recipients, byte[] Content)> Calls { get; } = new();

    public async ValueTask<IReadOnlyList<RemoteDeliveryResult>> DeliverAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        Stream content = message.OpenContent();
        await using (content)
        {
            await content.CopyToAsync(copy, cancellationToken);
        }

        Calls.Enqueue((message.QueueId, recipients.Select(r => r.Address).ToArray(), copy.ToArray()));
        return recipients
            .Select(_ => new RemoteDeliveryResult(DeliveryStatus.Sent, "2.0.0", "250 2.0.0 Ok: queued as ABC", "mx.remote.example[192.0.2.1]:25", TimeSpan.Zero, TimeSpan.Zero))
            .ToArray();
    }
}

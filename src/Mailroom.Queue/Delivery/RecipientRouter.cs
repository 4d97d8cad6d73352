using Mailroom.Core;
using Mailroom.Directory;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Where a message the server itself sends (a bounce, a Sieve redirect or vacation reply) goes: the local mailboxes an
/// address resolves to (after aliases), or the outbound agent for other domains.
/// </summary>
internal static class RecipientRouter
{
    /// <exception cref="DirectoryUnavailableException">The directory cannot answer.</exception>
    public static async ValueTask<IReadOnlyList<EnvelopeRecipient>> RouteAsync(IMailDirectory? directory, string address, DsnNotify notify, CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            // A queue without a directory delivers every local name it is given (tests, store-only setups).
            return [new EnvelopeRecipient { Address = address, OriginalAddress = address, Route = RecipientRoute.Local, Notify = notify }];
        }

        RecipientResolution resolution = await directory.ResolveRecipientAsync(address, cancellationToken).ConfigureAwait(false);
        return resolution.Status switch
        {
            RecipientStatus.NotLocal => [new EnvelopeRecipient { Address = address, OriginalAddress = address, Route = RecipientRoute.Remote, Notify = notify }],
            RecipientStatus.Resolved =>
            [
                .. resolution.LocalMailboxes.Select(m => new EnvelopeRecipient { Address = m, OriginalAddress = address, Detail = resolution.Detail, Route = RecipientRoute.Local, Notify = notify }),
                .. resolution.ExternalAddresses.Select(a => new EnvelopeRecipient { Address = a, OriginalAddress = address, Route = RecipientRoute.Remote, Notify = notify }),
            ],
            _ => [],
        };
    }
}

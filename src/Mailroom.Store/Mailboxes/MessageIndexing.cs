using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The store's side of <see cref="IMessageIndexer"/>: an index entry is a cache, so failing to compute one never fails
/// the save that asked for it (a delivery refused for that reason would be retried forever); it is logged, and the
/// field is computed at the first FETCH instead.
/// </summary>
internal static class MessageIndexing
{
    /// <summary>The indexer's fields of the message <paramref name="open"/> returns, or null (none, or it failed).</summary>
    public static byte[]?[]? TryDescribe(IMessageIndexer? indexer, Func<Stream> open, bool headerOnly, ILogger logger, string what)
    {
        if (indexer is null)
        {
            return null;
        }

        try
        {
            using Stream content = open();
            byte[]?[]? values = headerOnly ? indexer.DescribeHeader(content) : indexer.Describe(content);
            return values is { Length: CachedFields.Count } && Array.Exists(values, static v => v is not null) ? values : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A cache entry is never worth a failed save: the field is computed at the first FETCH instead.
            StoreLog.IndexingFailed(logger, what, ex);
            return null;
        }
    }
}

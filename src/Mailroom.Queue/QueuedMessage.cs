using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>A message in the queue, as delivery agents see it.</summary>
public sealed class QueuedMessage
{
    private readonly string _path;
    private readonly long _contentOffset;

    internal QueuedMessage(string queueId, Envelope envelope, string path, long contentOffset, long size)
    {
        QueueId = queueId;
        Envelope = envelope;
        _path = path;
        _contentOffset = contentOffset;
        Size = size;
    }

    public string QueueId { get; }

    public Envelope Envelope { get; }

    /// <summary>The content size in bytes (Postfix's <c>size=</c>).</summary>
    public long Size { get; }

    /// <summary>
    /// Opens the message content (the RFC 5322 bytes with CRLF line ends) for reading from its first byte;
    /// the caller disposes the stream. Each call opens an independent stream.
    /// </summary>
    public Stream OpenContent()
    {
        var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            stream.Position = _contentOffset;
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}

using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>
/// An indexer whose entries are made from the content (the first line as "envelope", the length as "bodystructure"),
/// counting its calls, so tests see what the store kept and when it read a message; or one that fails every call.
/// </summary>
internal sealed class RecordingIndexer(bool fail = false) : IMessageIndexer
{
    private int _full;
    private int _headers;

    public int FullCalls => Volatile.Read(ref _full);

    public int HeaderCalls => Volatile.Read(ref _headers);

    public byte[]?[]? Describe(Stream content)
    {
        Interlocked.Increment(ref _full);
        byte[] bytes = ReadAll(content);
        var values = new byte[]?[CachedFields.Count];
        values[(int)CachedField.Envelope] = Envelope(bytes);
        values[(int)CachedField.Body] = Encoding.ASCII.GetBytes("body");
        values[(int)CachedField.BodyStructure] = Encoding.ASCII.GetBytes("structure " + bytes.Length);
        values[(int)CachedField.SortKeys] = Encoding.ASCII.GetBytes("keys");
        return values;
    }

    public byte[]?[]? DescribeHeader(Stream content)
    {
        Interlocked.Increment(ref _headers);
        var values = new byte[]?[CachedFields.Count];
        values[(int)CachedField.Envelope] = Envelope(ReadAll(content));
        values[(int)CachedField.SortKeys] = Encoding.ASCII.GetBytes("keys");
        return values;
    }

    /// <summary>What the entry's envelope of <paramref name="message"/> is.</summary>
    public static byte[] Envelope(byte[] message)
    {
        int end = message.AsSpan().IndexOf("\r\n"u8);
        return [.. "envelope "u8, .. message.AsSpan(0, end < 0 ? message.Length : end)];
    }

    private byte[] ReadAll(Stream content)
    {
        if (fail)
        {
            throw new InvalidOperationException("indexer failure (test)");
        }

        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }
}

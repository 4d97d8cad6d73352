using System.Buffers;
using System.Collections.Concurrent;
using Mailroom.Store;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// The size of a message as POP3 sends it (RFC 1939 §11: octets counted with CRLF line endings), which for a file
/// with bare LFs is larger than the file: the <c>,W=</c> field of its name when it has one (ours and Dovecot's
/// deliveries), else counted from the file once and remembered by name (stored messages never change). Mailroom
/// writes no <c>W=</c> for a message whose last line is unterminated; Dovecot's <c>W=</c> of one is 2 less than what
/// RETR sends (the CRLF that ends the last line), as in Dovecot's own POP3.
/// </summary>
internal sealed class WireSize
{
    private const int ChunkSize = 64 * 1024;

    // About 10 MB of names at most; forgetting everything past it costs one rescan.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, long> _known = new(StringComparer.Ordinal);

    /// <summary>The wire size of the file at <paramref name="path"/> whose base name is <paramref name="baseName"/>.</summary>
    /// <exception cref="IOException">The file cannot be read (it may have been removed meanwhile).</exception>
    public long Measure(string path, string baseName)
    {
        long size = MaildirFileName.SizeField(baseName, 'W');
        if (size >= 0 || _known.TryGetValue(baseName, out size))
        {
            return size;
        }

        size = Scan(path);
        if (_known.Count >= MaxEntries)
        {
            _known.Clear();
        }

        _known[baseName] = size;
        return size;
    }

    /// <summary>Reads the whole file through a <see cref="WireSizeCounter"/>.</summary>
    internal static long Scan(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var counter = new WireSizeCounter();
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(0, ChunkSize), offset)) > 0)
            {
                counter.Add(buffer.AsSpan(0, read));
                offset += read;
            }

            return counter.Total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// The size of a message as POP3 sends it (RFC 1939 §11: octets counted with CRLF line endings), which for a file
/// with bare LFs is larger than the file. Stored messages never change, so sizes are remembered by file name.
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
        if (_known.TryGetValue(baseName, out long size))
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

    /// <summary>Counts the file's bytes plus one per bare LF, plus CRLF when the last line is unterminated.</summary>
    internal static long Scan(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            long offset = 0;
            byte previous = (byte)'\n';
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(0, ChunkSize), offset)) > 0)
            {
                ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);
                int lineFeeds = chunk.Count((byte)'\n');
                int crlfs = chunk.Count("\r\n"u8);
                if (previous == '\r' && chunk[0] == '\n')
                {
                    crlfs++;
                }

                total += read + (lineFeeds - crlfs);
                previous = chunk[^1];
                offset += read;
            }

            return offset > 0 && previous != '\n' ? total + 2 : total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

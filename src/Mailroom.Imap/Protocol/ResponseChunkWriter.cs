using System.Buffers;
using System.Buffers.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Writes a long response line of bytes and numbers (SORT, THREAD) a span of the output at a time, so a byte written
/// costs a store, not a call through the pipe. <see cref="Flush"/> commits what was written.
/// </summary>
internal ref struct ResponseChunkWriter(IBufferWriter<byte> output)
{
    // Room for the longest item: a uint's ten digits.
    private const int Longest = 10;
    private const int ChunkSize = 4096;

    private Span<byte> _span;
    private int _used;

    public void Write(byte value)
    {
        Reserve();
        _span[_used++] = value;
    }

    public void Write(uint number)
    {
        Reserve();
        Utf8Formatter.TryFormat(number, _span[_used..], out int written);
        _used += written;
    }

    public void Flush()
    {
        output.Advance(_used);
        _span = default;
        _used = 0;
    }

    private void Reserve()
    {
        if (_span.Length - _used < Longest)
        {
            Flush();
            _span = output.GetSpan(ChunkSize);
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace Mailroom.Policy.Milter;

/// <summary>Cuts packets out of what a milter sent, checking the announced length before anything is buffered for it.</summary>
internal static class MilterPacketReader
{
    /// <summary>
    /// Takes one whole packet off the front of <paramref name="buffer"/>; false when more bytes are needed. Throws
    /// <see cref="MilterProtocolException"/> for a zero length (no code) or one over <paramref name="maxPacketSize"/>, as
    /// soon as the 4 length bytes are there: a hostile milter cannot make the client buffer more than the limit.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPacketSize, out MilterPacket packet)
    {
        packet = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length == 0)
        {
            throw new MilterProtocolException("milter sent a packet of length 0");
        }

        if (length > (uint)maxPacketSize)
        {
            throw new MilterProtocolException($"milter sent a packet of {length} bytes, over the limit of {maxPacketSize}");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        byte code = buffer.Slice(4, 1).FirstSpan[0];
        byte[] data = buffer.Slice(5, length - 1).ToArray();
        buffer = buffer.Slice(4 + length);
        packet = new MilterPacket(code, data);
        return true;
    }
}

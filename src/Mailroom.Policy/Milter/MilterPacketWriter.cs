using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Mailroom.Policy.Milter;

/// <summary>Builds one packet: the code, then NUL-terminated strings, 32-bit integers or raw bytes; the length goes in front.</summary>
internal sealed class MilterPacketWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>Starts a packet, dropping whatever the previous one held.</summary>
    public MilterPacketWriter Begin(byte code)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write<byte>([0, 0, 0, 0, code]);
        return this;
    }

    /// <summary>Appends a NUL-terminated string (milter strings are bytes; text here is UTF-8, as SMTPUTF8 mail needs).</summary>
    public MilterPacketWriter String(string value)
    {
        Encoding.UTF8.GetBytes(value, _buffer);
        _buffer.Write<byte>([0]);
        return this;
    }

    public MilterPacketWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public MilterPacketWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public MilterPacketWriter Byte(byte value)
    {
        _buffer.Write<byte>([value]);
        return this;
    }

    public MilterPacketWriter Bytes(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    /// <summary>The finished packet, its length filled in; valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        Memory<byte> packet = _buffer.WrittenMemory.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(packet.Span, (uint)(packet.Length - 4));
        return packet;
    }
}

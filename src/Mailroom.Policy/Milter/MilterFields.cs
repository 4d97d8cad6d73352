using System.Buffers.Binary;
using System.Text;

namespace Mailroom.Policy.Milter;

/// <summary>Reads the fields of a reply packet in order; a field missing or unterminated is a protocol error.</summary>
internal ref struct MilterFields
{
    private ReadOnlySpan<byte> _rest;

    public MilterFields(ReadOnlySpan<byte> data) => _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public uint UInt32()
    {
        if (_rest.Length < 4)
        {
            throw new MilterProtocolException("milter reply too short for a 32-bit field");
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    /// <summary>A NUL-terminated string, decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string String()
    {
        int end = _rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new MilterProtocolException("milter reply has a string without its NUL");
        }

        string value = Encoding.UTF8.GetString(_rest[..end]);
        _rest = _rest[(end + 1)..];
        return value;
    }

    /// <summary>A trailing string whose NUL some milters leave out.</summary>
    public string LastString()
    {
        int end = _rest.IndexOf((byte)0);
        string value = Encoding.UTF8.GetString(end < 0 ? _rest : _rest[..end]);
        _rest = [];
        return value;
    }
}

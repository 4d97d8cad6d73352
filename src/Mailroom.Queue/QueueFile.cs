using System.Buffers.Binary;
using System.Text.Json;
using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// The queue file format: the 4-byte magic <c>MRQ</c> + version 1, the envelope's length as a 32-bit
/// little-endian integer, the envelope as UTF-8 JSON, then the message content to the end of the file.
/// The version byte lets a later release read files queued by this one.
/// </summary>
internal static class QueueFile
{
    private const int PrefixLength = 8;
    private const int MaxEnvelopeLength = 16 * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "MRQ\u0001"u8;

    /// <summary>Writes the envelope record at the start of a new file; returns the content offset.</summary>
    public static long WriteHeader(Stream stream, Envelope envelope)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(envelope, QueueJsonContext.Default.Envelope);
        Span<byte> prefix = stackalloc byte[PrefixLength];
        Magic.CopyTo(prefix);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], json.Length);
        stream.Write(prefix);
        stream.Write(json);
        return PrefixLength + json.Length;
    }

    /// <summary>Reads the envelope of a queue file; returns it with the content offset and size.</summary>
    /// <exception cref="InvalidDataException">The file is not a queue file of a known version.</exception>
    public static (Envelope Envelope, long ContentOffset, long Size) ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
        Span<byte> prefix = stackalloc byte[PrefixLength];
        stream.ReadExactly(prefix);
        if (!prefix[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a queue file of version 1");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
        if (length is <= 0 or > MaxEnvelopeLength || PrefixLength + (long)length > stream.Length)
        {
            throw new InvalidDataException($"{path} has an invalid envelope length {length}");
        }

        byte[] json = new byte[length];
        stream.ReadExactly(json);
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, QueueJsonContext.Default.Envelope);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} has an unreadable envelope: {ex.Message}", ex);
        }

        if (envelope is null || envelope.Recipients.Count == 0)
        {
            throw new InvalidDataException($"{path} has an empty envelope");
        }

        long offset = PrefixLength + length;
        return (envelope, offset, stream.Length - offset);
    }
}

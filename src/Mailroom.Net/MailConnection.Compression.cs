using System.IO.Compression;
using System.IO.Pipelines;
using Mailroom.Net.Trace;

namespace Mailroom.Net;

/// <summary>Compression layered on the transport (IMAP COMPRESS=DEFLATE, RFC 4978).</summary>
public sealed partial class MailConnection
{
    // What one read of the decompressed input may add to the pipe: a small compressed input expanding a thousandfold
    // (a "decompression bomb") still reaches the session a bounded chunk at a time, so the line and literal limits
    // apply to it exactly as to plain input.
    private const int InflatedReadSize = 4096;

    /// <summary>Both directions are compressed (<see cref="StartDeflate"/> ran).</summary>
    public bool IsCompressed { get; private set; }

    /// <summary>
    /// From now on both directions are raw DEFLATE (RFC 1951, no zlib header: RFC 4978 §3), layered on the current
    /// pipes, so inside TLS when TLS is up. Bytes the client already sent after its command are read through the
    /// decompressor (RFC 4978 §3: the client compresses everything after the command). Every flush of
    /// <see cref="Output"/> ends with a DEFLATE sync flush, so a client never waits for data held back in the
    /// compressor (RFC 4978 §4). The caller must have flushed its uncompressed reply first.
    /// </summary>
    /// <exception cref="InvalidOperationException">Compression is already active.</exception>
    public void StartDeflate()
    {
        if (IsCompressed)
        {
            throw new InvalidOperationException("Compression is already active on this connection.");
        }

        // Disposing a layer completes the pipe below it, so CloseAsync's completion of the outer pipes reaches the
        // transport: the compressor's final block is written and flushed first.
        var inflater = new InflatingStream(Input.AsStream(leaveOpen: false));
        var deflater = new DeflateStream(_output.AsStream(leaveOpen: false), CompressionLevel.Fastest, leaveOpen: false);
        Input = PipeReader.Create(inflater, new StreamPipeReaderOptions(bufferSize: InflatedReadSize, minimumReadSize: InflatedReadSize / 4, leaveOpen: false));
        _output = PipeWriter.Create(deflater, new StreamPipeWriterOptions(minimumBufferSize: OutputSegmentSize, leaveOpen: false));
        if (Trace is { } trace)
        {
            // The transcript records what the session says, so it sits above the compressor.
            _tracedOutput = new TracingPipeWriter(_output, trace);
            trace.Note("COMPRESS=DEFLATE started");
        }

        IsCompressed = true;
    }
}

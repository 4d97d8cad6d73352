using System.Buffers;
using System.IO.Pipelines;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// DATA and BDAT content: dot-unstuffing, the end marker, bare CR/LF and NUL, the size count. The first byte picks
/// the mode (bit 0 DATA, bit 1 BINARYMIME, bit 2 normalise bare line ends, bit 3 a size limit of half the content),
/// the second how the content is split. The content is scanned twice, once whole into a tiny output buffer and
/// once piecewise through a pipe and the session's <see cref="ContentPump"/>: both must agree byte for byte.
/// </summary>
internal sealed class SmtpContentTarget : FuzzTarget
{
    public override string Name => "smtp-content";

    public override string Description => "SMTP DATA/BDAT content scanner: dot-unstuffing, end marker, bare CR/LF, size";

    public override string? Dictionary => "smtp.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        byte mode = input[0];
        byte seed = input[1];
        byte[] content = input[2..].ToArray();
        bool data = (mode & 1) != 0;
        bool binary = (mode & 2) != 0;
        bool normalize = (mode & 4) != 0;
        long maxSize = (mode & 8) != 0 ? content.Length / 2 : long.MaxValue;

        var whole = new MessageContentScanner(data, binary, normalize, maxSize);
        (byte[] expected, int consumed) = ScanWhole(whole, content, outputSize: MessageContentScanner.MinOutputSpace + (seed % 8));
        var piecewise = new MessageContentScanner(data, binary, normalize, maxSize);
        byte[] actual = ScanThroughPump(piecewise, content, seed, data);

        // Content that is refused (too big, bare line end, NUL) is thrown away; where writing stopped does not matter.
        bool kept = !whole.Discarding;
        if ((kept && !expected.AsSpan().SequenceEqual(actual))
            || whole.Size != piecewise.Size
            || whole.Violation != piecewise.Violation
            || whole.Completed != piecewise.Completed)
        {
            throw new FuzzFailureException(
                $"split content scanned differently: {expected.Length} vs {actual.Length} bytes, size {whole.Size} vs {piecewise.Size}, " +
                $"violation {whole.Violation} vs {piecewise.Violation}, completed {whole.Completed} vs {piecewise.Completed}");
        }

        CheckInvariants(whole, content, consumed, expected, data, binary, maxSize);
    }

    private static (byte[] Output, int Consumed) ScanWhole(MessageContentScanner scanner, byte[] content, int outputSize)
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] block = new byte[outputSize];
        int offset = 0;
        while (offset < content.Length && !scanner.Completed)
        {
            scanner.Scan(content.AsSpan(offset), block, out int consumed, out int written);
            if (consumed == 0 && written == 0)
            {
                throw new FuzzFailureException($"scanner made no progress at offset {offset} with {outputSize} bytes of output space");
            }

            output.Write(block.AsSpan(0, written));
            offset += consumed;
        }

        if (!scanner.Completed)
        {
            scanner.Finish(block, out int written);
            output.Write(block.AsSpan(0, written));
        }

        return (output.WrittenSpan.ToArray(), offset);
    }

    private static byte[] ScanThroughPump(MessageContentScanner scanner, byte[] content, byte seed, bool data)
    {
        var sink = new ArrayBufferWriter<byte>();
        using var pump = new ContentPump(scanner, (block, _) =>
        {
            sink.Write(block.Span);
            return ValueTask.CompletedTask;
        });
        if (data)
        {
            // Inline schedulers: each flush runs the session's read loop at once, so the pieces reach it exactly as
            // split here and a saved input replays the same way.
            var pipe = new Pipe(new PipeOptions(
                readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false));
            long reported = 0;
            Task reading = pump.ReadDataAsync(pipe.Reader, consumed => reported += consumed, CancellationToken.None).AsTask();
            int offset = 0;
            foreach (int length in Chunking.Lengths(content.Length, seed))
            {
                pipe.Writer.Write(content.AsSpan(offset, length));
                offset += length;
                _ = pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            }

            pipe.Writer.Complete();
            try
            {
                reading.GetAwaiter().GetResult();
            }
            catch (EndOfStreamException)
            {
                // The client went away before the end marker: what the session sees on a dropped connection.
                // The whole-buffer scan calls Finish at the end of its input; do the same so both sides compare.
                pump.FinishAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            // The transfer deadline moves on by what the pump reports: never more than the client sent.
            if (reported < 0 || reported > content.Length)
            {
                throw new FuzzFailureException($"the pump reported {reported} bytes read of {content.Length}");
            }
        }
        else
        {
            int offset = 0;
            foreach (int length in Chunking.Lengths(content.Length, seed))
            {
                pump.WriteAsync(new ReadOnlySequence<byte>(content, offset, length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                offset += length;
            }

            pump.FinishAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        pump.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return sink.WrittenSpan.ToArray();
    }

    private static void CheckInvariants(MessageContentScanner scanner, byte[] content, int consumed, byte[] output, bool data, bool binary, long maxSize)
    {
        if (scanner.TooBig != (scanner.Size > maxSize))
        {
            throw new FuzzFailureException("TooBig disagrees with Size and the limit");
        }

        if (!scanner.Discarding && output.Length != scanner.Size)
        {
            throw new FuzzFailureException($"wrote {output.Length} bytes but counted {scanner.Size}");
        }

        if (data && scanner.Completed)
        {
            // RFC 5321 §4.1.1.4: DATA ends only at CRLF "." CRLF (the first line counts as following a CRLF).
            ReadOnlySpan<byte> end = content.AsSpan(0, consumed);
            bool atStart = end.SequenceEqual(".\r\n"u8);
            if (!atStart && !end.EndsWith("\r\n.\r\n"u8))
            {
                throw new FuzzFailureException($"DATA completed after {consumed} bytes that do not end with CRLF.CRLF");
            }
        }

        if (binary && !data || scanner.Discarding)
        {
            return;
        }

        // What is kept has only CRLF line ends and no NUL, whatever the client sent.
        for (int i = 0; i < output.Length; i++)
        {
            byte b = output[i];
            bool bad = b == 0
                || (b == (byte)'\r' && (i + 1 == output.Length || output[i + 1] != (byte)'\n'))
                || (b == (byte)'\n' && (i == 0 || output[i - 1] != (byte)'\r'));
            if (bad)
            {
                throw new FuzzFailureException($"kept content has a bare CR, bare LF or NUL at {i}");
            }
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Mailroom.Net.Tests;

public sealed class PipeReaderExtensionsTests
{
    private static readonly byte[] s_payload = Encoding.ASCII.GetBytes("0123456789abcdefghij");

    [Fact]
    public async Task CopyExactlyTakesTheCountedBytesWhateverTheSegmentSplit()
    {
        for (var split = 1; split < s_payload.Length; split++)
        {
            var reader = PipeReader.Create(Segmented(s_payload, split));
            var copied = new ArrayBufferWriter<byte>();

            await reader.CopyExactlyAsync(13, chunk => { foreach (var segment in chunk) { copied.Write(segment.Span); } return default; }, TestContext.Current.CancellationToken);

            Assert.Equal("0123456789abc", Encoding.ASCII.GetString(copied.WrittenSpan));
            var rest = await reader.ReadAsync(TestContext.Current.CancellationToken);
            Assert.Equal("defghij", Encoding.ASCII.GetString(rest.Buffer));
        }
    }

    [Fact]
    public async Task CopyExactlyHandsOverDataAsItArrives()
    {
        var pipe = new Pipe();
        var chunks = new List<string>();
        var copy = pipe.Reader.CopyExactlyAsync(6, chunk => { chunks.Add(Encoding.ASCII.GetString(chunk)); return default; }, TestContext.Current.CancellationToken).AsTask();

        await pipe.Writer.WriteAsync("abc"u8.ToArray(), TestContext.Current.CancellationToken);
        await pipe.Writer.WriteAsync("defXYZ"u8.ToArray(), TestContext.Current.CancellationToken);
        await copy.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("abcdef", string.Concat(chunks));
        Assert.DoesNotContain(chunks, c => c.Contains('X', StringComparison.Ordinal));
    }

    [Fact]
    public async Task CopyExactlyThrowsWhenTheClientClosesEarly()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>("short"u8.ToArray()));

        await Assert.ThrowsAsync<EndOfStreamException>(() =>
            reader.CopyExactlyAsync(10, _ => default, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task SkipExactlyDropsTheCountedBytesAndKeepsTheRest()
    {
        var reader = PipeReader.Create(Segmented(s_payload, 3));

        await reader.SkipExactlyAsync(15, TestContext.Current.CancellationToken);

        var rest = await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("fghij", Encoding.ASCII.GetString(rest.Buffer));
    }

    [Fact]
    public async Task SkipExactlyThrowsWhenTheClientClosesEarly()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>("abc"u8.ToArray()));

        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.SkipExactlyAsync(4, TestContext.Current.CancellationToken).AsTask());
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int segmentLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < data.Length; offset += segmentLength)
        {
            var memory = data.AsMemory(offset, Math.Min(segmentLength, data.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Tests.Protocol;

public sealed class MessageContentScannerTests
{
    public static TheoryData<string, string> DataCases => new()
    {
        { "Subject: x\r\n\r\nhello\r\n..dot\r\n.\r\n", "Subject: x\r\n\r\nhello\r\n.dot\r\n" },
        { ".\r\n", "" },
        { "a\r\n.b\r\n.\r\n", "a\r\nb\r\n" },
        { "a\r\n..\r\n.\r\n", "a\r\n.\r\n" },
        { "no final\r\n.\r\n", "no final\r\n" },
    };

    [Theory]
    [MemberData(nameof(DataCases))]
    public void DataIsUnstuffedAndEndsAtTheMarkerWhereverTheInputIsSplit(string input, string expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input + "QUIT\r\n");
        for (int split = 0; split <= bytes.Length; split++)
        {
            var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
            (string output, int consumed) = Run(scanner, bytes, split);
            Assert.True(scanner.Completed, $"split {split}");
            Assert.Equal(expected, output);
            Assert.Equal(input.Length, consumed);
            Assert.Equal(ContentViolation.None, scanner.Violation);
        }
    }

    [Theory]
    [InlineData("a\n.\nMAIL FROM:<x@y>\r\n.\r\n")]
    [InlineData("a\r\n.\nRCPT TO:<x@y>\r\n.\r\n")]
    [InlineData("a\n.\r\nDATA\r\n.\r\n")]
    [InlineData("a\r.\rDATA\r\n.\r\n")]
    public void OnlyCrLfDotCrLfEndsDataSoSmuggledCommandsStayContent(string input)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
            (_, int consumed) = Run(scanner, bytes, split);
            Assert.True(scanner.Completed);
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(ContentViolation.BareLineEnding, scanner.Violation);
        }
    }

    [Fact]
    public void NormalizeModeTurnsBareLineEndingsIntoCrLf()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("a\nb\rc\r\n.\r\n");
        for (int split = 0; split <= bytes.Length; split++)
        {
            var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: true, maxSize: 1000);
            (string output, _) = Run(scanner, bytes, split);
            Assert.Equal("a\r\nb\r\nc\r\n", output);
            Assert.Equal(ContentViolation.None, scanner.Violation);
        }
    }

    [Fact]
    public void NulIsAViolation()
    {
        var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: true, maxSize: 1000);
        Run(scanner, Encoding.ASCII.GetBytes("a\0b\r\n.\r\n"), 2);
        Assert.True(scanner.Completed);
        Assert.Equal(ContentViolation.Nul, scanner.Violation);
    }

    [Fact]
    public void ContentOverTheLimitIsCountedButNotWritten()
    {
        string body = string.Concat(Enumerable.Repeat("0123456789\r\n", 100));
        var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: false, maxSize: 100);
        (string output, _) = Run(scanner, Encoding.ASCII.GetBytes(body + ".\r\n"), 7);
        Assert.True(scanner.Completed);
        Assert.True(scanner.TooBig);
        Assert.Equal(body.Length, scanner.Size);
        Assert.True(output.Length <= 101, $"wrote {output.Length} bytes");
    }

    [Fact]
    public void BdatContentIsNotUnstuffedAndHasNoEndMarker()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("line\r\n.\r\n..x\r\n");
        for (int split = 0; split <= bytes.Length; split++)
        {
            var scanner = new MessageContentScanner(dotStuffed: false, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
            (string output, int consumed) = Run(scanner, bytes, split);
            Assert.False(scanner.Completed);
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal("line\r\n.\r\n..x\r\n", output);
        }
    }

    [Fact]
    public void BinaryMimeContentPassesUnchecked()
    {
        byte[] bytes = [0, 10, 13, 46, 255, 13];
        var scanner = new MessageContentScanner(dotStuffed: false, binary: true, normalizeBareLineEndings: false, maxSize: 1000);
        (string output, _) = Run(scanner, bytes, 3);
        Assert.Equal(ContentViolation.None, scanner.Violation);
        Assert.Equal(6, scanner.Size);
        Assert.Equal(Encoding.Latin1.GetString(bytes), output);
    }

    [Fact]
    public void ATrailingCrAtTheEndOfBdatContentIsBare()
    {
        var scanner = new MessageContentScanner(dotStuffed: false, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
        Run(scanner, "abc\r"u8.ToArray(), 4);
        Assert.Equal(ContentViolation.None, scanner.Violation);
        scanner.Finish(new byte[8], out _);
        Assert.Equal(ContentViolation.BareLineEnding, scanner.Violation);
    }

    [Fact]
    public async Task PumpReadsDataFromAPipeFedByteByByteAndLeavesWhatFollows()
    {
        var pipe = new Pipe();
        var output = new MemoryStream();
        var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
        using var pump = new ContentPump(scanner, (data, ct) => output.WriteAsync(data, ct));
        byte[] bytes = "Subject: t\r\n\r\n..x\r\n.\r\nQUIT\r\n"u8.ToArray();
        Task feeding = Task.Run(async () =>
        {
            foreach (byte b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);

        long reported = 0;
        await pump.ReadDataAsync(pipe.Reader, consumed => reported += consumed, TestContext.Current.CancellationToken);
        await feeding;
        Assert.Equal("Subject: t\r\n\r\n.x\r\n", Encoding.ASCII.GetString(output.ToArray()));

        // The progress the transfer deadline runs on is exactly the bytes of DATA, end marker included, not what follows.
        Assert.Equal("Subject: t\r\n\r\n..x\r\n.\r\n".Length, reported);
        ReadResult rest = await pipe.Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }

    [Fact]
    public async Task PumpThrowsWhenTheClientLeavesDuringData()
    {
        var pipe = new Pipe();
        var scanner = new MessageContentScanner(dotStuffed: true, binary: false, normalizeBareLineEndings: false, maxSize: 1000);
        using var pump = new ContentPump(scanner, (_, _) => ValueTask.CompletedTask);
        await pipe.Writer.WriteAsync("partial\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        await Assert.ThrowsAsync<EndOfStreamException>(() => pump.ReadDataAsync(pipe.Reader, _ => { }, TestContext.Current.CancellationToken).AsTask());
    }

    /// <summary>Scans the input in two pieces through a tiny output buffer; returns the output and bytes consumed.</summary>
    private static (string Output, int Consumed) Run(MessageContentScanner scanner, byte[] input, int split)
    {
        var output = new List<byte>();
        var block = new byte[MessageContentScanner.MinOutputSpace + 3];
        int consumedTotal = 0;
        foreach (ReadOnlyMemory<byte> piece in new[] { input.AsMemory(0, Math.Min(split, input.Length)), input.AsMemory(Math.Min(split, input.Length)) })
        {
            int offset = 0;
            while (offset < piece.Length && !scanner.Completed)
            {
                scanner.Scan(piece.Span[offset..], block, out int used, out int written);
                output.AddRange(block.AsSpan(0, written).ToArray());
                offset += used;
            }

            consumedTotal += offset;
            if (scanner.Completed)
            {
                break;
            }
        }

        return (Encoding.Latin1.GetString(output.ToArray()), consumedTotal);
    }
}

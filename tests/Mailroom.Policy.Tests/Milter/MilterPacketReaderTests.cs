using System.Buffers;
using Mailroom.Policy.Milter;
using static Mailroom.Testing.FakeMilter;

namespace Mailroom.Policy.Tests.Milter;

public sealed class MilterPacketReaderTests
{
    private static readonly byte[] TwoPackets = [.. Packet('h', Z("X-Spam"), Z("Yes")), .. Packet('c')];

    [Fact]
    public void EveryPacketIsReadWhateverBytesItArrivesIn()
    {
        for (int split = 0; split <= TwoPackets.Length; split++)
        {
            var received = new List<MilterPacket>();
            byte[] pending = [];
            foreach (byte[] piece in new[] { TwoPackets[..split], TwoPackets[split..] })
            {
                pending = [.. pending, .. piece];
                var buffer = Segmented(pending, split % 3 + 1);
                while (MilterPacketReader.TryRead(ref buffer, 1024, out MilterPacket packet))
                {
                    received.Add(packet);
                }

                pending = buffer.ToArray();
            }

            Assert.Equal(["h", "c"], received.Select(p => ((char)p.Code).ToString()));
            Assert.Equal("X-Spam\0Yes\0"u8.ToArray(), received[0].Data);
            Assert.Empty(received[1].Data);
            Assert.Empty(pending);
        }
    }

    [Fact]
    public void APacketOverTheLimitIsRefusedAsSoonAsItsLengthIsKnown()
    {
        byte[] header = [0, 0, 4, 1];
        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Throws<MilterProtocolException>(() => MilterPacketReader.TryRead(ref buffer, 1024, out _));
    }

    [Fact]
    public void APacketAtTheLimitIsRead()
    {
        byte[] packet = Packet('b', new byte[1023]);
        var buffer = new ReadOnlySequence<byte>(packet);
        Assert.True(MilterPacketReader.TryRead(ref buffer, 1024, out MilterPacket read));
        Assert.Equal(1023, read.Data.Length);
    }

    [Fact]
    public void APacketWithoutACodeIsAProtocolError()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0 });
        Assert.Throws<MilterProtocolException>(() => MilterPacketReader.TryRead(ref buffer, 1024, out _));
    }

    [Fact]
    public void AnIncompletePacketWaitsForMoreBytes()
    {
        byte[] packet = Packet('c');
        var buffer = new ReadOnlySequence<byte>(packet[..4]);
        Assert.False(MilterPacketReader.TryRead(ref buffer, 1024, out _));
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void AReplyCodeKeepsTheMiltersTextAndEnhancedCode()
    {
        MilterReply reply = MilterReply.FromReplyCode("554 5.7.1 Gtube pattern");
        Assert.Equal((554, "5.7.1", "Gtube pattern"), (reply.SmtpCode, reply.Dsn, reply.Text));
        MilterReply multi = MilterReply.FromReplyCode("450-4.7.1 first\r\n450 4.7.1 second");
        Assert.Equal((450, "4.7.1", "first second"), (multi.SmtpCode, multi.Dsn, multi.Text));
    }

    [Theory]
    [InlineData("250 2.0.0 fine")]
    [InlineData("55")]
    [InlineData("abc nope")]
    public void AReplyCodeThatIsNoRefusalIsAProtocolError(string text) =>
        Assert.Throws<MilterProtocolException>(() => MilterReply.FromReplyCode(text));

    /// <summary>The bytes as a sequence of segments of the given size, as a pipe may hand them over.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] data, int size)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        Segment last = first;
        for (int at = size; at < data.Length; at += size)
        {
            last = last.Append(data.AsMemory(at, Math.Min(size, data.Length - at)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
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

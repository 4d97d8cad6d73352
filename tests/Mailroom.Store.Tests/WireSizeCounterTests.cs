using System.Text;

namespace Mailroom.Store.Tests;

public sealed class WireSizeCounterTests
{
    [Theory]
    [InlineData("A: b\r\n\r\nbody\r\n", 14)]
    [InlineData("A: b\n\nbody\n", 14)]
    [InlineData("A: b\r\n\nbody", 14)]
    [InlineData("bare\rcr\r\n", 9)]
    [InlineData("", 0)]
    public void SizeCountsCrlfLineEndsAndATerminatedLastLine(string content, long expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(content);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var counter = new WireSizeCounter();
            counter.Add(bytes.AsSpan(0, split));
            counter.Add(bytes.AsSpan(split));
            Assert.Equal(expected, counter.Total);
        }
    }

    [Theory]
    [InlineData("A: b\r\n\r\nbody\r\n", 14)]
    [InlineData("A: b\n\nbody\n", 14)]
    [InlineData("", 0)]
    [InlineData("A: b\r\n\r\nbody", -1)]
    public void TheNameFieldIsLeftOutWhenTheLastLineIsUnterminated(string content, long expected)
    {
        var counter = new WireSizeCounter();
        counter.Add(Encoding.ASCII.GetBytes(content));
        Assert.Equal(expected, counter.NameField);
    }

    [Fact]
    public void ByteByByteFeedingCountsLikeOneChunk()
    {
        byte[] bytes = "x\r\n\n\r\r\n.\n\r\n"u8.ToArray();
        var whole = new WireSizeCounter();
        whole.Add(bytes);
        var single = new WireSizeCounter();
        foreach (byte b in bytes)
        {
            single.Add([b]);
        }

        Assert.Equal(bytes.Length + 2, whole.Total);
        Assert.Equal(whole.Total, single.Total);
    }
}

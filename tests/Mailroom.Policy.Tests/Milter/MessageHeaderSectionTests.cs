using System.Text;
using Mailroom.Policy.Milter;

namespace Mailroom.Policy.Tests.Milter;

public sealed class MessageHeaderSectionTests
{
    private static async Task<MessageHeaderSection> ReadAsync(string message, int maxBytes = 1 << 20) =>
        await MessageHeaderSection.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)), maxBytes, TestContext.Current.CancellationToken);

    [Fact]
    public async Task FoldedFieldsStayWholeAndTheBodyStartsAfterTheEmptyLine()
    {
        MessageHeaderSection section = await ReadAsync("Subject: one\r\n two\r\nTo: b@example.org\r\n\r\nbody\r\n");
        Assert.Equal(["Subject", "To"], section.Fields.Select(f => f.Name));
        Assert.Equal("Subject: one\r\n two\r\n", Encoding.UTF8.GetString(section.Fields[0].Raw));
        Assert.Equal("one\n two"u8.ToArray(), section.Fields[0].MilterValue(keepLeadingSpace: false));
        Assert.Equal(" one\n two"u8.ToArray(), section.Fields[0].MilterValue(keepLeadingSpace: true));
        Assert.Equal(41, section.BodyOffset);
        Assert.True(section.EndsWithEmptyLine);
    }

    [Fact]
    public async Task AHeaderLargerThanTheFirstReadIsReadWhole()
    {
        string big = string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-Field-{i}: value {i}\r\n"));
        MessageHeaderSection section = await ReadAsync(big + "\r\n" + new string('b', 100_000));
        Assert.Equal(2000, section.Fields.Count);
        Assert.Equal(big.Length + 2, section.BodyOffset);
    }

    [Fact]
    public async Task FieldsPastTheLimitPassAsBody()
    {
        string message = "A: 1\r\nB: 2\r\nC: 3\r\n\r\nbody";
        MessageHeaderSection section = await ReadAsync(message, maxBytes: 14);
        Assert.Equal(["A", "B"], section.Fields.Select(f => f.Name));
        Assert.Equal(12, section.BodyOffset);
        Assert.False(section.EndsWithEmptyLine);
    }

    [Fact]
    public async Task AMessageWithoutBodyOrEmptyLineEndsWithItsLastField()
    {
        MessageHeaderSection section = await ReadAsync("Subject: only");
        Assert.Equal("Subject: only", Encoding.UTF8.GetString(Assert.Single(section.Fields).Raw));
        Assert.Equal(13, section.BodyOffset);
    }

    [Fact]
    public async Task AFirstLineThatIsNoFieldStartsTheBody()
    {
        MessageHeaderSection section = await ReadAsync("A: 1\r\nnot a field\r\n");
        Assert.Equal("A", Assert.Single(section.Fields).Name);
        Assert.Equal(6, section.BodyOffset);
    }
}

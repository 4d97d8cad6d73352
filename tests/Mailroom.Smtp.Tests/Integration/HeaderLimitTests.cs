using System.Text;
using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// Smtp:MaxHeaderFieldSize and Smtp:MaxHeaderFields: MIME parsers (MimeKit's, behind DKIM, DMARC, ARC, milters and
/// Sieve) take time growing with the square of a folded field's length, so a header past either bound is refused with
/// 552 5.3.4 once the message is read, before any check or filter parses it.
/// </summary>
public sealed class HeaderLimitTests
{
    private const string FieldTooLong = "552 5.3.4 Error: message header field too long";
    private const string TooManyFields = "552 5.3.4 Error: too many message header fields";

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public async Task AFoldedFieldUpToTheLimitIsAcceptedAndOneByteMoreIsRefusedUnparsed(int fieldSize, bool accepted)
    {
        var filter = new RejectingFilter("never-present", "unused");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxHeaderFieldSize = 1000, filter: filter);
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));

        string reply = await client.RawAsync("From: a@remote.example\r\n" + FoldedField(fieldSize) + "\r\nbody\r\n.\r\n");

        if (accepted)
        {
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
            Assert.Single(filter.Asked);
        }
        else
        {
            Assert.Equal(FieldTooLong, reply);
            Assert.Empty(filter.Asked);
            Assert.False(Assert.Single(server.Submitter.Submissions).Committed);
        }

        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public async Task FieldsUpToTheLimitAreAcceptedAndOneMoreIsRefused(int fields, bool accepted)
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxHeaderFields = 100);
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");

        string reply = await client.RawAsync(string.Concat(Enumerable.Range(0, fields).Select(i => $"X-Field-{i}: v\r\n")) + "\r\nbody\r\n.\r\n");

        if (accepted)
        {
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(TooManyFields, reply);
            Assert.Empty(server.Submitter.Committed);
        }
    }

    [Fact]
    public async Task TenMegabytesOfSubjectContinuationLinesAreReadOnceAndRefusedBeforeAnyParser()
    {
        var filter = new RejectingFilter("never-present", "unused");
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.MaxMessageSize = 16 * 1024 * 1024, filter: filter);
        server.Submitter.CountOnly = true;
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");

        await client.SendAsync("Subject: start\r\n");
        string continuation = string.Concat(Enumerable.Repeat(" continuation of the subject\r\n", 1024));
        int sent = 0;
        while (sent < 10 * 1024 * 1024)
        {
            await client.SendAsync(continuation);
            sent += continuation.Length;
        }

        Assert.Equal(FieldTooLong, await client.RawAsync("\r\nbody\r\n.\r\n"));
        Assert.Empty(filter.Asked);
        Assert.False(Assert.Single(server.Submitter.Submissions).Committed);
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task TheDefaultsArePostfixsFieldSizeAndAThousandFields()
    {
        var options = new SmtpOptions();

        Assert.Equal((102_400, 1000), (options.MaxHeaderFieldSize, options.MaxHeaderFields));

        // A relayed message's header (many Received, ARC and DKIM fields) is far inside both.
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");
        string hops = string.Concat(Enumerable.Range(0, 60).Select(i => $"Received: from hop{i}.example by hop{i + 1}.example;\r\n Thu, 1 Jan 2026 00:00:00 +0000\r\n"));
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.RawAsync(hops + "Subject: s\r\n\r\nbody\r\n.\r\n"), StringComparison.Ordinal);
    }

    /// <summary>A Subject field of exactly <paramref name="size"/> bytes with its line ends, folded every 80 bytes.</summary>
    internal static string FoldedField(int size)
    {
        var field = new StringBuilder("Subject: s");
        while (field.Length + 2 < size)
        {
            int room = size - 2 - field.Length;
            field.Append(room >= 80 ? "\r\n " + new string('a', 77) : room >= 3 ? "\r\n " + new string('a', room - 3) : new string('a', room));
        }

        string text = field.Append("\r\n").ToString();
        Assert.Equal(size, text.Length);
        return text;
    }
}

using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// Smtp:MaxHeaderFieldSize and Smtp:MaxHeaderFields bound the header of every MIME body part as they bound the
/// message's own: the checks parse the parts too (a 2 MiB folded field in one part's header took over a minute).
/// </summary>
public sealed class BodyPartHeaderLimitTests
{
    private const string Top = "From: a@remote.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n";

    private static async Task<(string Reply, SmtpTestServer Server)> SendAsync(string content, Action<SmtpOptions> configure)
    {
        SmtpTestServer server = await SmtpTestServer.StartAsync(configure: configure);
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        string reply = await client.RawAsync(content + ".\r\n");
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
        return (reply, server);
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public async Task APartsFoldedFieldUpToTheLimitIsAcceptedAndOneByteMoreIsRefused(int fieldSize, bool accepted)
    {
        string content = Top + "--outer\r\nContent-Type: text/plain\r\n" + HeaderLimitTests.FoldedField(fieldSize) + "\r\nhello\r\n--outer--\r\n";

        (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFieldSize = 1000);
        await using (server)
        {
            if (accepted)
            {
                Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("552 5.3.4 Error: message header field too long", reply);
                Assert.False(Assert.Single(server.Submitter.Submissions).Committed);
            }
        }
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public async Task APartsFieldsUpToTheLimitAreAcceptedAndOneMoreIsRefused(int fields, bool accepted)
    {
        string header = string.Concat(Enumerable.Range(0, fields - 1).Select(i => $"X-Field-{i}: v\r\n"));
        string content = Top + "--outer\r\nContent-Type: text/plain\r\n" + header + "\r\nhello\r\n--outer--\r\n";

        (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFields = 100);
        await using (server)
        {
            Assert.Equal(accepted ? "250" : "552 5.3.4 Error: too many message header fields", accepted ? reply[..3] : reply);
        }
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public async Task FieldsAfterALineThatIsNoFieldStillCountInAPartAndInTheMessagesOwnHeader(int fields, bool accepted)
    {
        // MimeKit reads on past such a line (and takes it as a field): neither header ends there.
        string header = string.Concat(Enumerable.Range(0, fields - 2).Select(i => $"X-Field-{i}: v\r\n"));
        string part = Top + "--outer\r\nContent-Type: text/plain\r\nnot a field\r\n" + header + "\r\nhello\r\n--outer--\r\n";
        string own = "From: a@remote.example\r\nnot a field\r\n" + header + "\r\nhello\r\n";

        foreach (string content in (string[])[part, own])
        {
            (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFields = 100);
            await using (server)
            {
                Assert.Equal(accepted ? "250" : "552 5.3.4 Error: too many message header fields", accepted ? reply[..3] : reply);
            }
        }
    }

    [Fact]
    public async Task TheLimitIsPerPartSoManySmallPartsPass()
    {
        string part = "--outer\r\nContent-Type: text/plain\r\n" + string.Concat(Enumerable.Range(0, 80).Select(i => $"X-Field-{i}: v\r\n")) + "\r\nhello\r\n";
        string content = Top + string.Concat(Enumerable.Repeat(part, 5)) + "--outer--\r\n";

        (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFields = 100);
        await using (server)
        {
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("multipart/alternative; boundary=inner", "--inner")]
    [InlineData("multipart/alternative; (a comment) boundary*0=in; boundary*1=ner", "--inner")]
    [InlineData("message/rfc822", "")]
    public async Task ALongFieldInANestedPartOrAnAttachedMessageIsRefused(string innerType, string innerBoundary)
    {
        string inner = innerBoundary.Length > 0
            ? innerBoundary + "\r\nContent-Type: text/plain\r\n" + HeaderLimitTests.FoldedField(1001) + "\r\nhi\r\n" + innerBoundary + "--\r\n"
            : "From: b@remote.example\r\n" + HeaderLimitTests.FoldedField(1001) + "\r\nhi\r\n";
        string content = Top + "--outer\r\nContent-Type: " + innerType + "\r\n\r\n" + inner + "--outer--\r\n";

        (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFieldSize = 1000);
        await using (server)
        {
            Assert.Equal("552 5.3.4 Error: message header field too long", reply);
        }
    }

    [Fact]
    public async Task ABodyLineThatOnlyLooksLikeABoundaryStartsNoPart()
    {
        // "--outerX" is not the boundary, and text after the closing boundary is the epilogue: neither is a header.
        string content = Top + "--outer\r\nContent-Type: text/plain\r\n\r\n--outerX\r\n" + HeaderLimitTests.FoldedField(1001)
            + "--outer--\r\n" + HeaderLimitTests.FoldedField(1001);

        (string reply, SmtpTestServer server) = await SendAsync(content, o => o.MaxHeaderFieldSize = 1000);
        await using (server)
        {
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
        }
    }
}

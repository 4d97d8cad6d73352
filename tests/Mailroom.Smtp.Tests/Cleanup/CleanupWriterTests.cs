using System.Text;
using Mailroom.Smtp.Cleanup;

namespace Mailroom.Smtp.Tests.Cleanup;

public sealed class CleanupWriterTests
{
    private const string Added = "Message-Id: <1.Q@h>\r\nDate: D\r\n";

    public static TheoryData<string, string, string?> SubmissionCases => new()
    {
        { "Subject: hi\r\n\r\nbody\r\n", "Subject: hi\r\n" + Added + "\r\nbody\r\n", "<1.Q@h>" },
        { "Message-ID: <a@b>\r\nDate: x\r\n\r\nbody\r\n", "Message-ID: <a@b>\r\nDate: x\r\n\r\nbody\r\n", "<a@b>" },
        { "Subject: hi\r\n", "Subject: hi\r\n" + Added, "<1.Q@h>" },
        { "Subject: hi", "Subject: hi\r\n" + Added, "<1.Q@h>" },
        { "hello world\r\n", Added + "\r\nhello world\r\n", "<1.Q@h>" },
        { "", Added, "<1.Q@h>" },
        { "message-id:\r\n <f@g>\r\nSubject: s\r\n\r\nb", "message-id:\r\n <f@g>\r\nSubject: s\r\nDate: D\r\n\r\nb", "<f@g>" },
        { "Subject: a\r\n folded: not a field\r\n\r\nb", "Subject: a\r\n folded: not a field\r\n" + Added + "\r\nb", "<1.Q@h>" },
    };

    [Theory]
    [MemberData(nameof(SubmissionCases))]
    public async Task MissingMessageIdAndDateAreInsertedAtTheEndOfTheHeadersWhereverTheInputIsSplit(string input, string expected, string? messageId)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var output = new MemoryStream();
            var writer = new CleanupWriter(output, () => ("<1.Q@h>", "D"));
            await writer.WriteAsync(bytes.AsMemory(0, split), TestContext.Current.CancellationToken);
            await writer.WriteAsync(bytes.AsMemory(split), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            Assert.Equal(expected, Encoding.ASCII.GetString(output.ToArray()));
            Assert.Equal(messageId, writer.MessageId);
        }
    }

    [Theory]
    [MemberData(nameof(SubmissionCases))]
    public async Task InputArrivingOneByteAtATimeGivesTheSameOutput(string input, string expected, string? messageId)
    {
        var output = new MemoryStream();
        var writer = new CleanupWriter(output, () => ("<1.Q@h>", "D"));
        foreach (byte b in Encoding.ASCII.GetBytes(input))
        {
            await writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
        }

        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal(messageId, writer.MessageId);
    }

    [Theory]
    [InlineData("A: 1\r\nSubject: x\r\n y\r\n\tz\r\nB: 2\r\n\r\nbody: not a field\r\n", 3, "Subject: x\r\n y\r\n\tz\r\n")]
    [InlineData("A: 1\r\nnot a header line\r\nC: 3\r\n", 1, "A: 1\r\n")]
    [InlineData("Subject: only, no line end", 1, "Subject: only, no line end")]
    [InlineData("\r\nX: in the body\r\n", 0, "")]
    public async Task HeaderFieldsAndTheLargestOneAreMeasuredWhereverTheInputIsSplit(string input, int fields, string largest)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var writer = new CleanupWriter(new MemoryStream(), missingHeaders: null);
            await writer.WriteAsync(bytes.AsMemory(0, split), TestContext.Current.CancellationToken);
            await writer.WriteAsync(bytes.AsMemory(split), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);

            Assert.Equal((fields, largest.Length), (writer.HeaderFieldCount, writer.LargestHeaderField));
        }
    }

    [Fact]
    public async Task HeaderFieldsAreMeasuredWhenTheyArriveOneByteAtATime()
    {
        var writer = new CleanupWriter(new MemoryStream(), missingHeaders: null);
        foreach (byte b in "To: a\r\nSubject: x\r\n continued\r\n\r\nbody\r\n"u8.ToArray())
        {
            await writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
        }

        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal((2, "Subject: x\r\n continued\r\n".Length), (writer.HeaderFieldCount, writer.LargestHeaderField));
    }

    [Fact]
    public async Task AHeaderSectionOfManyShortLinesIsWrittenInOnePiecePerChunk()
    {
        // A million one-field lines must not cost a write each (linear cost with a small constant, issue 13).
        byte[] header = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a:b\r\n", 10_000)) + "\r\nbody\r\n");
        var output = new CountingStream();
        var writer = new CleanupWriter(output, missingHeaders: null);

        await writer.WriteAsync(header, TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(header.Length, output.Length);
        Assert.InRange(output.Writes, 1, 3);
    }

    [Fact]
    public async Task AFieldNameLongerThanAnyHeaderStartsTheBody()
    {
        string name = new('n', 77);
        var output = new MemoryStream();
        var writer = new CleanupWriter(output, () => ("<1.Q@h>", "D"));

        await writer.WriteAsync(Encoding.ASCII.GetBytes("Subject: s\r\n" + name + ": x\r\n"), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Subject: s\r\n" + Added + "\r\n" + name + ": x\r\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task OnTheMtaRoleNothingIsAddedButTheMessageIdIsLearnt()
    {
        var output = new MemoryStream();
        var writer = new CleanupWriter(output, missingHeaders: null);
        await writer.WriteTraceAsync("Received: x\r\n", TestContext.Current.CancellationToken);
        await writer.WriteAsync("Message-Id: <m@x>\r\n\r\nbody\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Received: x\r\nMessage-Id: <m@x>\r\n\r\nbody\r\n", Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal("<m@x>", writer.MessageId);
    }

    [Fact]
    public void ReceivedHeaderHasPostfixShape()
    {
        string header = ReceivedHeader.Build(new TraceInfo
        {
            Helo = "client.example",
            ClientName = "localhost",
            ClientAddress = "::1",
            Hostname = "mx.example.org",
            Protocol = "ESMTPS",
            QueueId = "5E4A5BA2D4",
            Tls = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            SingleRecipient = "samt@example.org",
            Time = new DateTimeOffset(2026, 11, 25, 12, 5, 21, TimeSpan.Zero),
        });
        Assert.Equal(
            "Received: from client.example (localhost [IPv6:::1])\r\n\tby mx.example.org (Mailroom) with ESMTPS id 5E4A5BA2D4\r\n"
            + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\tfor <samt@example.org>; Wed, 25 Nov 2026 12:05:21 +0000 (UTC)\r\n",
            header);
    }

    [Fact]
    public void DateUsesTheNumericZone()
    {
        Assert.Equal("Sun, 1 Mar 2026 09:04:05 -0330", Rfc5322Date.Format(new DateTimeOffset(2026, 3, 1, 9, 4, 5, TimeSpan.FromMinutes(-210))));
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0)
            {
                Writes++;
            }

            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}

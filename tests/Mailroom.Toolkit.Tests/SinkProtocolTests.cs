using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Toolkit.Bench;

namespace Mailroom.Toolkit.Tests;

public sealed class SinkProtocolTests
{
    [Fact]
    public async Task DotStuffedDataSplitAcrossPacketsAndBdatAreEachOneMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var sink = new SmtpSink(new SinkSettings { Port = 0, StartTls = false }, TimeProvider.System);
        sink.Start();
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, sink.LocalEndPoint.Port, ct);
        NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        string[] pieces =
        [
            "EHLO t\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n",
            "Subject: split\r\n\r\n..leading dot\r\n",
            ".", "\r", "\n", // a stuffed "." line would be "..": this lone dot line IS the end
        ];
        foreach (string piece in pieces)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece), ct);
            await stream.FlushAsync(ct);
        }

        Assert.StartsWith("220 ", await reader.ReadLineAsync(ct));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(ct);
        }
        while (line is not null && line.StartsWith("250-", StringComparison.Ordinal));
        Assert.StartsWith("250 ", line); // last EHLO line
        Assert.Equal("250 2.1.0 Ok", await reader.ReadLineAsync(ct));
        Assert.Equal("250 2.1.5 Ok", await reader.ReadLineAsync(ct));
        Assert.StartsWith("354 ", await reader.ReadLineAsync(ct));
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await reader.ReadLineAsync(ct));

        await stream.WriteAsync("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nBDAT 7\r\nhe"u8.ToArray(), ct);
        await stream.WriteAsync("llo\r\nBDAT 0 LAST\r\nQUIT\r\n"u8.ToArray(), ct);
        Assert.Equal("250 2.1.0 Ok", await reader.ReadLineAsync(ct));
        Assert.Equal("250 2.1.5 Ok", await reader.ReadLineAsync(ct));
        Assert.Equal("250 2.0.0 7 octets received", await reader.ReadLineAsync(ct));
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await reader.ReadLineAsync(ct));
        Assert.Equal("221 2.0.0 Bye", await reader.ReadLineAsync(ct));

        Assert.Equal(2, sink.Stats.Messages);
    }

    [Fact]
    public async Task SinkStopsWaitingWhenCountIsReached()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0, Count = 3 }, TimeProvider.System);
        sink.Start();
        var settings = new BenchSendSettings { Server = "127.0.0.1", Port = sink.LocalEndPoint.Port, MessagesPerConnection = 3 };
        await new BenchSender(settings, TextWriter.Null, TimeProvider.System).RunAsync(TestContext.Current.CancellationToken);

        Assert.True(sink.CountReached.IsCompletedSuccessfully);
    }
}

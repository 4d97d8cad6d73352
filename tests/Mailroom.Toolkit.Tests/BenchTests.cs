using System.Net;
using Mailroom.Toolkit.Bench;

namespace Mailroom.Toolkit.Tests;

public sealed class BenchTests
{
    private static SmtpSink StartSink(SinkSettings? settings = null)
    {
        var sink = new SmtpSink((settings ?? new SinkSettings()) with { Address = IPAddress.Loopback, Port = 0 }, TimeProvider.System);
        sink.Start();
        return sink;
    }

    private static BenchSendSettings Send(SmtpSink sink, int senders = 2, int connections = 2, int messages = 25) => new()
    {
        Server = "127.0.0.1",
        Port = sink.LocalEndPoint.Port,
        Senders = senders,
        ConnectionsPerSender = connections,
        MessagesPerConnection = messages,
        BodySize = 2000,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static Task<BenchSendResult> RunAsync(BenchSendSettings settings) =>
        new BenchSender(settings, TextWriter.Null, TimeProvider.System).RunAsync(TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryMessageArrivesWithAndWithoutPipelining(bool pipelining)
    {
        await using SmtpSink sink = StartSink();
        BenchSendResult result = await RunAsync(Send(sink) with { Pipelining = pipelining });

        Assert.Equal(100, result.Sent);
        Assert.Equal(0, result.Failed);
        Assert.Equal(4, result.Connections);
        Assert.Equal(100, sink.Stats.Messages);
        Assert.Equal(4, sink.Stats.Connections);
        Assert.Equal(100, result.MessageLatency.TotalCount);
        Assert.Equal(4, result.ConnectionLatency.TotalCount);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(256, true)]
    public async Task OneMessagePerConnectionArrivesExactlyWithFewOrManySinkThreads(int sinkThreads, bool pipelining)
    {
        // One sink thread forces sessions past the cap onto the asynchronous path while senders block on theirs.
        await using SmtpSink sink = StartSink(new SinkSettings { MaxSessionThreads = sinkThreads });
        BenchSendResult result = await RunAsync(Send(sink, senders: 4, connections: 10, messages: 1) with { Pipelining = pipelining });

        Assert.Equal(40, result.Sent);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.FailedConnections);
        Assert.Equal(40, result.ConnectionLatency.TotalCount);
        Assert.Equal(40, sink.Stats.Messages);
        Assert.Equal(40, sink.Stats.Connections);
    }

    [Fact]
    public async Task SinkStopsWhileBlockingSessionsAreOpen()
    {
        SmtpSink sink = StartSink();
        using var idle = new System.Net.Sockets.TcpClient();
        await idle.ConnectAsync(sink.LocalEndPoint, TestContext.Current.CancellationToken);
        byte[] greeting = new byte[256];
        int read = await idle.GetStream().ReadAsync(greeting, TestContext.Current.CancellationToken);

        await sink.DisposeAsync();

        Assert.StartsWith("220 ", System.Text.Encoding.ASCII.GetString(greeting, 0, read), StringComparison.Ordinal);
        Assert.True(await IsClosedAsync(idle.GetStream()));
    }

    // Closing a socket a blocked thread reads from may end the connection with FIN or with RST.
    private static async Task<bool> IsClosedAsync(Stream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessagesArriveOverTls(bool implicitTls)
    {
        TlsMode mode = implicitTls ? TlsMode.Implicit : TlsMode.StartTls;
        await using SmtpSink sink = StartSink(new SinkSettings { ImplicitTls = mode == TlsMode.Implicit });
        BenchSendResult result = await RunAsync(Send(sink, senders: 1, connections: 2, messages: 5) with { Tls = mode });

        Assert.Equal(10, result.Sent);
        Assert.Equal(0, result.FailedConnections);
        Assert.Equal(10, sink.Stats.Messages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RefusedRecipientsAreReportedAsFailedMessages(bool pipelining)
    {
        Assert.True(FailureRule.TryParse("451", out FailureRule? rule, out _));
        await using SmtpSink sink = StartSink(new SinkSettings { RcptFailure = rule });
        BenchSendResult result = await RunAsync(Send(sink) with { Pipelining = pipelining });

        Assert.Equal(0, result.Sent);
        Assert.Equal(100, result.Failed);
        Assert.Equal(0, result.FailedConnections);
        Assert.Equal(100, sink.Stats.RejectedRecipients);
        Assert.Equal(0, sink.Stats.Messages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HalfOfDataCommandsRefusedFailsExactlyHalf(bool pipelining)
    {
        Assert.True(FailureRule.TryParse("50%:554", out FailureRule? rule, out _));
        await using SmtpSink sink = StartSink(new SinkSettings { DataFailure = rule });
        BenchSendResult result = await RunAsync(Send(sink) with { Pipelining = pipelining });

        Assert.Equal(50, result.Sent);
        Assert.Equal(50, result.Failed);
        Assert.Equal(50, sink.Stats.Messages);
        Assert.Equal(50, sink.Stats.RejectedData);
    }

    [Fact]
    public async Task ShareOfMessagesRefusedAfterContentIsCountedExactly()
    {
        Assert.True(FailureRule.TryParse("10%:451", out FailureRule? rule, out _));
        await using SmtpSink sink = StartSink(new SinkSettings { MessageFailure = rule });
        BenchSendResult result = await RunAsync(Send(sink));

        Assert.Equal(90, result.Sent);
        Assert.Equal(10, result.Failed);
        Assert.Equal(10, sink.Stats.RejectedMessages);
    }

    [Fact]
    public async Task UnreachableServerCountsFailedConnectionsAndTheirMessages()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        BenchSendResult result = await RunAsync(new BenchSendSettings { Server = "127.0.0.1", Port = port, ConnectionsPerSender = 2, MessagesPerConnection = 3 });

        Assert.Equal(2, result.FailedConnections);
        Assert.Equal(6, result.Failed);
        Assert.Equal(0, result.Sent);
    }

    [Theory]
    [InlineData("50%:554", true)]
    [InlineData("451", true)]
    [InlineData("10:451", true)]
    [InlineData("150%:451", false)]
    [InlineData("10%:250", false)]
    [InlineData("abc", false)]
    public void FailureRulesParseOnlyValidShareAndErrorCode(string text, bool valid)
    {
        Assert.Equal(valid, FailureRule.TryParse(text, out FailureRule? rule, out string? error));
        Assert.Equal(valid, rule is not null);
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public async Task WithoutATerminalTheOutputIsOnlyTheResultLinesScriptsParse()
    {
        await using SmtpSink sink = StartSink();
        BenchSendSettings settings = Send(sink, senders: 1, connections: 1, messages: 5);
        var output = new StringWriter();
        var sender = new BenchSender(settings, TextWriter.Null, TimeProvider.System);

        BenchSendResult result = await BenchSendCommand.RunWithProgressAsync(sender, settings, output, TestContext.Current.CancellationToken);
        BenchSendCommand.Print(result, output, json: false);

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.Equal("sent:         5 messages, 0 failed", lines[0]);
        Assert.All(lines, l => Assert.Matches(@"^[a-z ]+: +\S", l));
        Assert.Contains(lines, l => l.StartsWith("throughput:   ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLiveRateIsMessagesPerSecondSinceThePreviousSample()
    {
        var time = new SteppedTime();
        var rate = new BenchRate(time);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(200, rate.Sample(100), 3);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(25, rate.Sample(150), 3);
        Assert.Equal(0, rate.Sample(150));
        Assert.Equal("sent 150, failed 2, 25 msg/s", BenchRate.Describe(150, 2, 25.2));
    }

    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

using System.CommandLine;
using System.Net;
using System.Text.Json;
using Mailroom.Toolkit.Bench;

namespace Mailroom.Toolkit.Tests;

public sealed class CommandLineTests
{
    internal static async Task<(int ExitCode, string Output)> InvokeAsync(string args)
    {
        var root = new RootCommand();
        foreach (Command command in ToolkitCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        using var output = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = TextWriter.Null }, TestContext.Current.CancellationToken);
        return (code, output.ToString());
    }

    [Fact]
    public void ToolkitOffersCheckBenchAndMailWithBenchSubcommands()
    {
        Command[] commands = [.. ToolkitCommands.Create()];
        Assert.Equal(["check", "bench", "mail"], commands.Select(c => c.Name));
        Assert.Equal(["send", "sink"], commands[1].Subcommands.Select(c => c.Name));
        Assert.All(commands.SelectMany(c => c.Subcommands.Append(c)), c => Assert.False(string.IsNullOrEmpty(c.Description)));
    }

    [Fact]
    public async Task BenchSendPrintsJsonTotals()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0 }, TimeProvider.System);
        sink.Start();
        (int code, string output) = await InvokeAsync($"bench send 127.0.0.1 -p {sink.LocalEndPoint.Port} -s 2 -c 1 -m 3 -T a@x.test -T b@x.test -vv --json");

        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(6, json.RootElement.GetProperty("sent").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt64());
        Assert.Equal(12, sink.Stats.Recipients);
    }

    [Fact]
    public async Task BenchSendExitsNonZeroWhenMessagesFail()
    {
        Assert.True(FailureRule.TryParse("550", out FailureRule? rule, out _));
        await using var sink = new SmtpSink(new SinkSettings { Port = 0, MailFailure = rule }, TimeProvider.System);
        sink.Start();
        (int code, string output) = await InvokeAsync($"bench send 127.0.0.1 -p {sink.LocalEndPoint.Port} -m 4");

        Assert.Equal(1, code);
        Assert.Contains("0 messages, 4 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchSinkExitsAfterCountAndPrintsJson()
    {
        int port = FreePort();
        Task<(int, string)> sink = InvokeAsync($"bench sink -p {port} --count 2 --json");
        BenchSendResult sent = default!;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            sent = await new BenchSender(new BenchSendSettings { Server = "127.0.0.1", Port = port, MessagesPerConnection = 2 }, TextWriter.Null, TimeProvider.System).RunAsync(TestContext.Current.CancellationToken);
            if (sent.Sent == 2)
            {
                break;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        (int code, string output) = await sink;
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("messages").GetInt64());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

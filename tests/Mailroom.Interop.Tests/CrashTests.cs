using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// DESIGN invariant 1, the one that matters most: a message the server answered 250 for survives the process being
/// killed at any moment. Delivery is at-least-once, so duplicates are allowed (and counted); a loss is not.
/// CI runs a few rounds; <c>bench/crash.sh</c> runs the same test at scale through <c>MAILROOM_CRASH_ROUNDS</c> and
/// <c>MAILROOM_CRASH_MESSAGES</c> (acknowledged messages in all, spread over the rounds).
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output)
{
    private const string Recipient = "samt@example.org";
    private const int DefaultRounds = 3;
    private const int Senders = 4;
    private const int MaxMessagesPerSender = 5_000;
    private static readonly TimeSpan RoundTimeLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task EveryAcknowledgedMessageIsDeliveredDespiteSigkillUnderLoad()
    {
        int rounds = Setting("MAILROOM_CRASH_ROUNDS", DefaultRounds);
        int target = Setting("MAILROOM_CRASH_MESSAGES", 0);
        int seed = Random.Shared.Next();
        output.WriteLine($"random seed {seed}, {rounds} rounds, at least {target} acknowledged messages");
        var random = new Random(seed);
        var acknowledged = new ConcurrentDictionary<string, string>();
        await using MailroomServer server = await MailroomServer.StartAsync(provision: async s =>
        {
            await s.AddDomainAsync("example.org");
            await s.AddUserAsync(Recipient);
        });

        for (int round = 1; round <= rounds; round++)
        {
            int before = acknowledged.Count;
            using var stop = new CancellationTokenSource();
            int port = server.SmtpPort;
            int captured = round;
            Task[] senders = Enumerable.Range(1, Senders)
                .Select(sender => Task.Run(() => SendUntilFailureAsync(port, $"r{captured}-s{sender}", acknowledged, stop.Token)))
                .ToArray();

            // Each round takes its share of the target, at least one message so that every kill falls under load
            // (a busy machine may take seconds for the first), then the kill comes at a random moment.
            int roundTarget = Math.Max(1, (target - before + (rounds - round)) / (rounds - round + 1));
            await Eventually.WaitUntilAsync(() => acknowledged.Count - before >= roundTarget || senders.All(t => t.IsCompleted), RoundTimeLimit, $"{roundTarget} acknowledged messages in round {round}");
            await Task.Delay(random.Next(300, 1500), TestContext.Current.CancellationToken);
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            output.WriteLine($"round {round}: {acknowledged.Count - before} messages acknowledged before SIGKILL");
            await server.RestartAsync();
        }

        Assert.NotEmpty(acknowledged);
        Assert.True(acknowledged.Count >= target, $"only {acknowledged.Count} of the {target} messages asked for were acknowledged");
        string active = Path.Combine(server.QueueDirectory, "active");
        string incoming = Path.Combine(server.QueueDirectory, "incoming");
        await Eventually.WaitUntilAsync(
            () => IsEmpty(active) && IsEmpty(incoming),
            TimeSpan.FromSeconds(60 + (acknowledged.Count / 100)),
            "the queue's active/ and incoming/ directories to drain after the last restart");
        Assert.True(IsEmpty(Path.Combine(server.QueueDirectory, "deferred")), "messages were deferred instead of delivered");
        Assert.True(IsEmpty(Path.Combine(server.QueueDirectory, "corrupt")), "acknowledged queue files were declared corrupt");

        Dictionary<string, int> delivered = DeliveredTags(server.DataDirectory);
        List<string> lost = acknowledged
            .Where(pair => !delivered.ContainsKey(pair.Key))
            .Select(pair => $"{pair.Key} (queue id {pair.Value})")
            .Order(StringComparer.Ordinal)
            .ToList();
        int duplicates = delivered.Values.Sum(copies => copies - 1);
        output.WriteLine($"crash summary: rounds={rounds} acknowledged={acknowledged.Count} delivered={delivered.Count} lost={lost.Count} duplicates={duplicates}");
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged messages were lost: {string.Join(", ", lost.Take(20))}");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 0 ? value : fallback;

    /// <summary>
    /// One connection, one transaction after another, until the server dies under it. Only a complete
    /// <c>250 ... queued as</c> line counts as acknowledged: a kill before that line arrived is an unacknowledged message.
    /// </summary>
    private static async Task SendUntilFailureAsync(int port, string prefix, ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        try
        {
            var (smtp, _) = await RawSmtpConnection.ConnectAsync(port, stop);
            await using (smtp)
            {
                await smtp.CommandAsync("EHLO crash.example.org", stop);
                for (int n = 0; n < MaxMessagesPerSender && !stop.IsCancellationRequested; n++)
                {
                    string tag = $"{prefix}-{n}";
                    await smtp.CommandAsync($"MAIL FROM:<{Recipient}>", stop);
                    await smtp.CommandAsync($"RCPT TO:<{Recipient}>", stop);
                    await smtp.CommandAsync("DATA", stop);
                    await smtp.SendAsync($"Subject: crash test {tag}\r\nX-Crash-Tag: {tag}\r\n\r\nload while the server may die.\r\n.\r\n", stop);
                    IReadOnlyList<string> reply = await smtp.ReadReplyAsync(stop);
                    if (QueuedAs().Match(reply[^1]) is { Success: true } match)
                    {
                        acknowledged[tag] = match.Groups[1].Value;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // The server was killed mid-dialogue: exactly the situation under test.
        }
    }

    /// <summary>Each delivered tag with the number of copies (more than one: delivered again after a kill).</summary>
    private static Dictionary<string, int> DeliveredTags(string dataDirectory)
    {
        var tags = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string file in Maildir.Messages(dataDirectory, Recipient))
        {
            if (Maildir.TryRead(file) is { } bytes && CrashTag().Match(Encoding.ASCII.GetString(bytes)) is { Success: true } match)
            {
                tags[match.Groups[1].Value] = tags.GetValueOrDefault(match.Groups[1].Value) + 1;
            }
        }

        return tags;
    }

    private static bool IsEmpty(string directory)
        => !System.IO.Directory.Exists(directory) || !System.IO.Directory.EnumerateFileSystemEntries(directory).Any();

    [GeneratedRegex(@"^250 2\.0\.0 Ok: queued as ([0-9A-F]+)$")]
    private static partial Regex QueuedAs();

    [GeneratedRegex(@"^X-Crash-Tag: (\S+)\r$", RegexOptions.Multiline)]
    private static partial Regex CrashTag();
}

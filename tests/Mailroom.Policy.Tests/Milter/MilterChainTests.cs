using System.Net;
using System.Text;
using Mailroom.Policy.Milter;
using Microsoft.Extensions.Logging.Abstractions;
using Mailroom.Testing;
using static Mailroom.Testing.FakeMilter;

namespace Mailroom.Policy.Tests.Milter;

public sealed class MilterChainTests
{
    private const string Message = "Received: from client\r\nSubject:  hello\r\nX-Tag: one\r\nX-Tag: two\r\n\r\nBody line\r\n";

    private static readonly MilterMessage Envelope = new()
    {
        Hostname = "mx.example.org",
        DaemonName = "smtpd",
        Client = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000),
        Local = new IPEndPoint(IPAddress.Loopback, 25),
        ClientName = "unknown",
        Helo = "client.example.net",
        QueueId = "ABC123",
        Sender = "ann@example.net",
        Size = Message.Length,
    };

    private static readonly string[] Recipients = ["bob@example.org", "carol@example.org"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MilterChain Chain(string address, MilterDefaultAction action = MilterDefaultAction.Tempfail, int maxPacket = 1 << 20, int maxModifications = 100,
        TimeSpan? timeout = null) =>
        new([new MilterSettings { Address = address, DefaultAction = action, ContentTimeout = timeout ?? TimeSpan.FromSeconds(30), CommandTimeout = timeout ?? TimeSpan.FromSeconds(30) }],
            maxPacket, maxModifications, 1 << 20, NullLoggerFactory.Instance);

    /// <summary>One message through one session as an SMTP session drives it; a refusal at MAIL, of every recipient, or at DATA is the verdict.</summary>
    private static async Task<MilterVerdict> CheckAsync(MilterChain chain, string message = Message, string prefix = "", List<string>? refusedRecipients = null)
    {
        await using MilterSession session = chain.OpenSession(Token);
        return await SendAsync(session, message, prefix, refusedRecipients, connect: true);
    }

    private static async Task<MilterVerdict> SendAsync(MilterSession session, string message = Message, string prefix = "", List<string>? refusedRecipients = null, bool connect = false)
    {
        MilterMessage envelope = Envelope with { QueueId = "", Sender = "" };
        if (connect)
        {
            MilterDecision connected = await session.ConnectAsync(envelope);
            Assert.False(connected.ReplyCode == 421);
            await session.HeloAsync(envelope);
        }

        var verdict = new MilterVerdict();
        MilterDecision decision = await session.MailAsync(envelope with { Sender = Envelope.Sender });
        int accepted = 0;
        foreach (string recipient in decision.Refuses ? [] : Recipients)
        {
            decision = await session.RecipientAsync(envelope with { Sender = Envelope.Sender }, recipient);
            if (decision.Refuses)
            {
                refusedRecipients?.Add(recipient);
            }
            else
            {
                accepted++;
            }
        }

        if (decision.Refuses && accepted == 0)
        {
            verdict.Refuse(decision);
            return verdict;
        }

        // DATA when the client sends it, then the content at its end.
        decision = await session.DataAsync(Envelope with { Size = message.Length });
        if (decision.Refuses)
        {
            verdict.Refuse(decision);
            return verdict;
        }

        verdict.Dispose();
        return await session.MessageAsync(Envelope with { Size = message.Length }, prefix, new MemoryStream(Encoding.UTF8.GetBytes(message)), Token);
    }

    private static async Task<string> RewrittenAsync(MilterVerdict verdict, string message = Message, string prefix = "")
    {
        var output = new MemoryStream();
        await MilterChain.WriteModifiedAsync(verdict, prefix, new MemoryStream(Encoding.UTF8.GetBytes(message)), output, Token);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task EveryStepIsSentInOrderWithTheHeaderValuesWithoutTheirLeadingSpace()
    {
        await using var milter = new FakeMilter();
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        await milter.EndedAsync();
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        Assert.Equal("OCHMRRTLLLLNBEAQ", new string([.. milter.Codes.Where(c => c != 'D')]));
        Assert.Equal("Subject\0hello\0"u8.ToArray(), milter.Received.First(r => r.Code == 'L' && r.Data[0] == (byte)'S').Data);
        Assert.Equal("<ann@example.net>\0"u8.ToArray(), milter.Received.First(r => r.Code == 'M').Data);
        Assert.Equal("Body line\r\n"u8.ToArray(), milter.Received.First(r => r.Code == 'B').Data);
    }

    [Fact]
    public async Task StepsTheMilterDeclinedAreNotSentAndStepsItWillNotAnswerAreNotAwaited()
    {
        await using var milter = new FakeMilter(steps: (uint)(MilterSteps.NoHelo | MilterSteps.NoBody | MilterSteps.NoRecipient | MilterSteps.NoReplyHeader));
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        await milter.EndedAsync();
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        string codes = new([.. milter.Codes.Where(c => c != 'D')]);
        Assert.Equal("OCMTLLLLNEAQ", codes);
    }

    [Fact]
    public async Task TheBodyIsStreamedInChunksOfAtMost64KiB()
    {
        string body = string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n", 2500));
        await using var milter = new FakeMilter();
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address), "Subject: big\r\n\r\n" + body);
        await milter.EndedAsync();
        byte[][] chunks = [.. milter.Received.Where(r => r.Code == 'B').Select(r => r.Data)];
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 65535));
        Assert.Equal(3, chunks.Length);
        Assert.Equal(body, Encoding.UTF8.GetString([.. chunks.SelectMany(c => c)]));
    }

    [Fact]
    public async Task PostfixMacrosGoBeforeEachStepAndAMacroListNarrowsThem()
    {
        await using var milter = new FakeMilter();
        using (await CheckAsync(Chain(milter.Address)))
        {
        }

        await milter.EndedAsync();

        string connectMacros = Encoding.UTF8.GetString(milter.Received.First(r => r.Code == 'D' && r.Data[0] == (byte)'C').Data);
        Assert.Contains("j\0mx.example.org\0", connectMacros, StringComparison.Ordinal);
        Assert.Contains("{client_addr}\0192.0.2.7\0", connectMacros, StringComparison.Ordinal);
        Assert.Contains("{daemon_name}\0smtpd\0", connectMacros, StringComparison.Ordinal);
        string mailMacros = Encoding.UTF8.GetString(milter.Received.First(r => r.Code == 'D' && r.Data[0] == (byte)'M').Data);
        Assert.DoesNotContain("i\0", mailMacros, StringComparison.Ordinal);
        Assert.Contains("{mail_addr}\0ann@example.net\0", mailMacros, StringComparison.Ordinal);
        string endMacros = Encoding.UTF8.GetString(milter.Received.First(r => r.Code == 'D' && r.Data[0] == (byte)'E').Data);
        Assert.Contains("i\0ABC123\0", endMacros, StringComparison.Ordinal);

        await using var narrow = new FakeMilter { NegotiationTail = [.. U32(0), .. Z("{client_addr}")] };
        using (await CheckAsync(Chain(narrow.Address)))
        {
        }

        await narrow.EndedAsync();

        Assert.Equal("C{client_addr}\0192.0.2.7\0", Encoding.UTF8.GetString(narrow.Received.First(r => r.Code == 'D' && r.Data[0] == (byte)'C').Data));
    }

    [Fact]
    public async Task HeaderEditsApplyInOrderAtTheirPlaces()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E'
            ? [Packet('h', Z("X-Spam"), Z("Yes")), Packet('i', U32(0), Z("X-First"), Z("top")), Packet('m', U32(2), Z("X-Tag"), Z("changed")),
                Packet('m', U32(1), Z("subject"), Z("")), Packet('a')]
            : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        Assert.True(verdict.ChangesContent);
        Assert.False(verdict.ChangesEnvelope);
        Assert.Equal("X-First: top\r\nReceived: from client\r\nX-Tag: one\r\nX-Tag: changed\r\nX-Spam: Yes\r\n\r\nBody line\r\n", await RewrittenAsync(verdict));
    }

    [Fact]
    public async Task AMilterCannotEndTheHeaderOrAddAFieldThroughAValue()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Note"), Z("a\n\nX-Evil: 1\r\n")), Packet('c')] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        string rewritten = await RewrittenAsync(verdict);
        Assert.Contains("X-Note: a\r\n\tX-Evil: 1\r\n\r\nBody line", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageWithoutBodyKeepsItsShapeWhenAFieldIsAdded()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Added"), Z("1")), Packet('c')] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address), "Subject: only\r\n");
        Assert.Equal("Subject: only\r\nX-Added: 1\r\n", await RewrittenAsync(verdict, "Subject: only\r\n"));
    }

    [Fact]
    public async Task AReplacedBodyIsSpooledAndWrittenInsteadOfTheOriginal()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E'
            ? [Packet('b', "New "u8.ToArray()), Packet('b', "body\r\n"u8.ToArray()), Packet('c')]
            : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        Assert.Equal("Received: from client\r\nSubject:  hello\r\nX-Tag: one\r\nX-Tag: two\r\n\r\nNew body\r\n", await RewrittenAsync(verdict));
    }

    [Fact]
    public async Task TheHeaderPrefixIsSentFirstAndKeptInTheRewrittenMessage()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Added"), Z("1")), Packet('c')] : null);
        const string prefix = "Authentication-Results: mx; spf=pass\r\n";
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address), prefix: prefix);
        await milter.EndedAsync();
        Assert.StartsWith("Authentication-Results", Encoding.UTF8.GetString(milter.Received.First(r => r.Code == 'L').Data), StringComparison.Ordinal);
        Assert.StartsWith(prefix + "Received: from client\r\n", await RewrittenAsync(verdict, prefix: prefix), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvelopeActionsAndQuarantineAreReported()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E'
            ? [Packet('e', Z("<bounce@example.net>")), Packet('+', Z("<dave@example.org>")), Packet('2', Z("<erin@example.org>"), Z("NOTIFY=NEVER")),
                Packet('-', Z("<bob@example.org>")), Packet('q', Z("looks odd")), Packet('c')]
            : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        Assert.True(verdict.ChangesEnvelope);
        Assert.False(verdict.ChangesContent);
        Assert.Equal("looks odd", verdict.QuarantineReason);
        Assert.Equal<MilterModification>(
            [new SenderChanged("bounce@example.net"), new RecipientAdded("dave@example.org"), new RecipientAdded("erin@example.org"), new RecipientDeleted("bob@example.org")],
            verdict.Modifications);
    }

    [Theory]
    [InlineData('M', "t", MilterVerdictKind.Tempfail, 451, "4.7.1 Service unavailable - try again later")]
    [InlineData('C', "r", MilterVerdictKind.Reject, 550, "5.7.1 Command rejected")]
    [InlineData('E', "d", MilterVerdictKind.Discard, 250, "2.0.0 Ok")]
    [InlineData('E', "y554 5.7.1 Gtube pattern", MilterVerdictKind.Reject, 554, "5.7.1 Gtube pattern")]
    [InlineData('B', "y452 4.3.1 Slow down", MilterVerdictKind.Tempfail, 452, "4.3.1 Slow down")]
    public async Task ARefusalAtAnyStepDecidesWithTheMiltersReply(char step, string reply, MilterVerdictKind kind, int code, string text)
    {
        byte[] answer = reply.Length == 1 ? Packet(reply[0]) : Packet(reply[0], Z(reply[1..]));
        await using var milter = new FakeMilter(respond: (c, _) => c == (byte)step ? [answer] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        Assert.Equal(kind, verdict.Kind);
        Assert.Equal($"{code} {text}", $"{verdict.ReplyCode} {verdict.ReplyDsn} {verdict.ReplyText}");
        Assert.Equal(milter.Address, verdict.DecidedBy);
    }

    [Fact]
    public async Task ARefusedRecipientIsRefusedAloneAndTheMessageGoesOnWithTheOthers()
    {
        await using var milter = new FakeMilter(respond: (code, data) => code == (byte)'R' && Encoding.UTF8.GetString(data).Contains("bob", StringComparison.Ordinal)
            ? [Packet('y', Z("550 5.1.1 No such user"))]
            : null);
        var refused = new List<string>();
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address), refusedRecipients: refused);
        await milter.EndedAsync();
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        Assert.Equal(["bob@example.org"], refused);
        Assert.Contains('E', milter.Codes);
    }

    [Fact]
    public async Task EveryRecipientRefusedRefusesTheMessage()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'R' ? [Packet('r')] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address));
        Assert.Equal(MilterVerdictKind.Reject, verdict.Kind);
    }

    [Theory]
    [InlineData(MilterDefaultAction.Accept, MilterVerdictKind.Accept)]
    [InlineData(MilterDefaultAction.Tempfail, MilterVerdictKind.Tempfail)]
    [InlineData(MilterDefaultAction.Reject, MilterVerdictKind.Reject)]
    public async Task AnUnreachableMilterGetsTheDefaultAction(MilterDefaultAction action, MilterVerdictKind kind)
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using MilterVerdict verdict = await CheckAsync(Chain($"inet:127.0.0.1:{port}", action));
        Assert.Equal(kind, verdict.Kind);
    }

    [Fact]
    public async Task AMilterThatStopsAnsweringGetsTheDefaultActionAtItsDeadline()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address, MilterDefaultAction.Tempfail, timeout: TimeSpan.FromMilliseconds(300)));
        Assert.Equal(MilterVerdictKind.Tempfail, verdict.Kind);
        Assert.Equal(451, verdict.ReplyCode);
    }

    [Fact]
    public async Task ModificationsUpToTheLimitAreTakenAndOneMoreIsAFailure()
    {
        IEnumerable<byte[]> Adds(int count) => [.. Enumerable.Range(0, count).Select(i => Packet('h', Z($"X-N{i}"), Z("v"))), Packet('c')];
        await using var atLimit = new FakeMilter(respond: (code, _) => code == (byte)'E' ? Adds(3) : null);
        using MilterVerdict accepted = await CheckAsync(Chain(atLimit.Address, maxModifications: 3));
        Assert.Equal((MilterVerdictKind.Accept, 3), (accepted.Kind, accepted.Modifications.Count));

        await using var overLimit = new FakeMilter(respond: (code, _) => code == (byte)'E' ? Adds(4) : null);
        using MilterVerdict refused = await CheckAsync(Chain(overLimit.Address, maxModifications: 3));
        Assert.Equal(MilterVerdictKind.Tempfail, refused.Kind);
    }

    [Fact]
    public async Task APacketOverTheLimitFromTheMilterIsAFailure()
    {
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('b', new byte[70_000]), Packet('c')] : null);
        using MilterVerdict refused = await CheckAsync(Chain(milter.Address, maxPacket: 65540));
        Assert.Equal(MilterVerdictKind.Tempfail, refused.Kind);

        using MilterVerdict accepted = await CheckAsync(Chain(milter.Address, maxPacket: 70_001));
        Assert.Equal(MilterVerdictKind.Accept, accepted.Kind);
        Assert.NotNull(accepted.ReplacedBody);
    }

    [Fact]
    public async Task AnActionTheMilterDidNotNegotiateIsAFailure()
    {
        await using var milter = new FakeMilter(actions: (uint)MilterActions.AddHeaders, respond: (code, _) => code == (byte)'E' ? [Packet('+', Z("<x@example.org>")), Packet('c')] : null);
        using MilterVerdict verdict = await CheckAsync(Chain(milter.Address, MilterDefaultAction.Reject));
        Assert.Equal(MilterVerdictKind.Reject, verdict.Kind);
    }

    [Fact]
    public async Task AcceptEndsThatMiltersPartAndTheNextMilterIsStillAsked()
    {
        await using var first = new FakeMilter(respond: (code, _) => code == (byte)'M' ? [Packet('a')] : null);
        await using var second = new FakeMilter(respond: (code, _) => code == (byte)'E' ? [Packet('h', Z("X-Second"), Z("yes")), Packet('c')] : null);
        var chain = new MilterChain([new MilterSettings { Address = first.Address }, new MilterSettings { Address = second.Address }], 1 << 20, 100, 1 << 20, NullLoggerFactory.Instance);
        using MilterVerdict verdict = await CheckAsync(chain);
        await first.EndedAsync();
        Assert.DoesNotContain('T', first.Codes);
        Assert.Equal([new HeaderAdded("X-Second", " yes")], verdict.Modifications);
    }
}

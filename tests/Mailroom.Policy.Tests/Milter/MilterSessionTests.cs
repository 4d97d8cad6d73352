using System.Net;
using System.Text;
using Mailroom.Policy.Milter;
using Mailroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Mailroom.Testing.FakeMilter;

namespace Mailroom.Policy.Tests.Milter;

/// <summary>The milters' conversation over one SMTP session: each event at its stage, with Postfix's semantics.</summary>
public sealed class MilterSessionTests
{
    private const string Message = "Subject: hello\r\n\r\nBody line\r\n";

    private static readonly MilterMessage Facts = new()
    {
        Hostname = "mx.example.org",
        DaemonName = "smtpd",
        Client = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000),
        Local = new IPEndPoint(IPAddress.Loopback, 25),
        ClientName = "unknown",
        Helo = "client.example.net",
    };

    private static readonly MilterMessage Envelope = Facts with { Sender = "ann@example.net" };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MilterSession Open(params string[] addresses) => Open(TimeSpan.FromSeconds(30), MilterDefaultAction.Tempfail, addresses);

    private static MilterSession Open(TimeSpan timeout, MilterDefaultAction action, params string[] addresses) =>
        new MilterChain([.. addresses.Select(a => new MilterSettings { Address = a, CommandTimeout = timeout, ContentTimeout = timeout, DefaultAction = action })],
            1 << 20, 100, 1 << 20, NullLoggerFactory.Instance).OpenSession(Token);

    private static async Task GreetAsync(MilterSession session)
    {
        Assert.Equal(MilterVerdictKind.Accept, (await session.ConnectAsync(Facts)).Kind);
        Assert.Equal(MilterVerdictKind.Accept, (await session.HeloAsync(Facts)).Kind);
    }

    /// <summary>DATA (as the SMTP session sends it when the client does), then the content: a refusal at DATA is the verdict.</summary>
    private static async Task<MilterVerdict> EndAsync(MilterSession session, string message = Message)
    {
        MilterMessage facts = Envelope with { QueueId = "ABC123", Size = message.Length };
        MilterDecision data = await session.DataAsync(facts);
        if (data.Refuses)
        {
            var refused = new MilterVerdict();
            refused.Refuse(data);
            return refused;
        }

        return await session.MessageAsync(facts, "", new MemoryStream(Encoding.UTF8.GetBytes(message)), Token);
    }

    private static string Codes(FakeMilter milter) => new([.. milter.Codes.Where(c => c != 'D')]);

    private static IEnumerable<byte[]>? At(char step, byte code, params byte[][] reply) => code == (byte)step ? reply : null;

    [Fact]
    public async Task TwoMessagesShareOneConnectionWithAbortBetweenThemAndQuitAtTheEnd()
    {
        await using var milter = new FakeMilter();
        await using (MilterSession session = Open(milter.Address))
        {
            await GreetAsync(session);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
                Assert.Equal(MilterVerdictKind.Accept, (await session.RecipientAsync(Envelope, "bob@example.org")).Kind);
                using MilterVerdict verdict = await EndAsync(session);
                Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
            }
        }

        await milter.EndedAsync();
        Assert.Equal("OCHMRTLNBEAMRTLNBEAQ", Codes(milter));
    }

    [Fact]
    public async Task EventsAreSentWhenTheyHappenNotAtTheEndOfTheMessage()
    {
        await using var milter = new FakeMilter();
        await using MilterSession session = Open(milter.Address);
        await GreetAsync(session);
        await session.MailAsync(Envelope);
        await session.RecipientAsync(Envelope, "bob@example.org");
        lock (milter.Received)
        {
            Assert.Equal("OCHMR", Codes(milter));
        }
    }

    [Fact]
    public async Task AConnectRefusalIsNotTheConnectsAnswerButEveryMailOfTheSessionGetsIt()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('C', code, Packet('y', Z("550 5.7.1 Go away"))));
        await using (MilterSession session = Open(milter.Address))
        {
            MilterDecision connected = await session.ConnectAsync(Facts);
            Assert.NotEqual(421, connected.ReplyCode);
            Assert.Equal(MilterVerdictKind.Accept, (await session.HeloAsync(Facts)).Kind);
            Assert.Equal("550 5.7.1 Go away", (await session.MailAsync(Envelope)).ToString());
            Assert.Equal("550 5.7.1 Go away", (await session.MailAsync(Envelope)).ToString());
        }

        await milter.EndedAsync();
        Assert.Equal("OCQ", Codes(milter));
    }

    [Theory]
    [InlineData('C')]
    [InlineData('H')]
    public async Task A421AtConnectOrHeloIsAnsweredAtOnce(char step)
    {
        await using var milter = new FakeMilter(respond: (code, _) => At(step, code, Packet('y', Z("421 4.7.0 Closing"))));
        await using MilterSession session = Open(milter.Address);
        MilterDecision decision = await session.ConnectAsync(Facts);
        if (step == 'H')
        {
            Assert.Equal(MilterVerdictKind.Accept, decision.Kind);
            decision = await session.HeloAsync(Facts);
        }

        Assert.Equal("421 4.7.0 Closing", decision.ToString());
    }

    [Fact]
    public async Task AHeloRefusalPersistsToMail()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('H', code, Packet('r')));
        await using MilterSession session = Open(milter.Address);
        await session.ConnectAsync(Facts);
        Assert.NotEqual(421, (await session.HeloAsync(Facts)).ReplyCode);
        Assert.Equal("550 5.7.1 Command rejected", (await session.MailAsync(Envelope)).ToString());
    }

    [Fact]
    public async Task AMailRefusalRefusesThatMailAndTheNextMailIsAskedAfterAnAbort()
    {
        int mails = 0;
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'M' && mails++ == 0 ? [Packet('t')] : null);
        await using (MilterSession session = Open(milter.Address))
        {
            await GreetAsync(session);
            Assert.Equal("451 4.7.1 Service unavailable - try again later", (await session.MailAsync(Envelope)).ToString());
            Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
        }

        await milter.EndedAsync();
        Assert.Equal("OCHMAMAQ", Codes(milter));
    }

    [Fact]
    public async Task ARecipientRefusalRefusesThatRecipientAloneWithTheMiltersReply()
    {
        await using var milter = new FakeMilter(respond: (code, data) => code == (byte)'R' && Encoding.UTF8.GetString(data).Contains("bob", StringComparison.Ordinal)
            ? [Packet('y', Z("550-5.1.1 No such\r\n550 5.1.1 user"))]
            : null);
        await using MilterSession session = Open(milter.Address);
        await GreetAsync(session);
        await session.MailAsync(Envelope);
        Assert.Equal("550 5.1.1 No such user", (await session.RecipientAsync(Envelope, "bob@example.org")).ToString());
        Assert.Equal(MilterVerdictKind.Accept, (await session.RecipientAsync(Envelope, "carol@example.org")).Kind);
        using MilterVerdict verdict = await EndAsync(session);
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
    }

    [Theory]
    [InlineData('M')]
    [InlineData('R')]
    public async Task ADiscardAtMailOrRcptDiscardsTheMessageAndNoMilterHearsMoreOfIt(char step)
    {
        int discards = 0;
        await using var first = new FakeMilter(respond: (code, _) => code == (byte)step && discards++ == 0 ? [Packet('d')] : null);
        await using var second = new FakeMilter();
        await using (MilterSession session = Open(first.Address, second.Address))
        {
            await GreetAsync(session);
            Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
            Assert.Equal(MilterVerdictKind.Accept, (await session.RecipientAsync(Envelope, "bob@example.org")).Kind);
            Assert.True(session.DiscardsMessage);
            using MilterVerdict verdict = await EndAsync(session);
            Assert.Equal(MilterVerdictKind.Discard, verdict.Kind);

            // The next message is heard again.
            await session.MailAsync(Envelope);
            Assert.False(session.DiscardsMessage);
        }

        await first.EndedAsync();
        await second.EndedAsync();
        Assert.Equal(step == 'M' ? "OCHMAMAQ" : "OCHMRAMAQ", Codes(first));
        Assert.DoesNotContain('T', second.Codes);
    }

    [Fact]
    public async Task ADiscardAtConnectDiscardsEveryMessageOfTheSession()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('C', code, Packet('d')));
        await using MilterSession session = Open(milter.Address);
        await GreetAsync(session);
        for (int i = 0; i < 2; i++)
        {
            await session.MailAsync(Envelope);
            using MilterVerdict verdict = await EndAsync(session);
            Assert.Equal(MilterVerdictKind.Discard, verdict.Kind);
        }
    }

    [Fact]
    public async Task AcceptAtMailEndsThatMessageForTheMilterButNotTheSession()
    {
        int mails = 0;
        await using var milter = new FakeMilter(respond: (code, _) => code == (byte)'M' && mails++ == 0 ? [Packet('a')] : null);
        await using (MilterSession session = Open(milter.Address))
        {
            await GreetAsync(session);
            for (int i = 0; i < 2; i++)
            {
                await session.MailAsync(Envelope);
                await session.RecipientAsync(Envelope, "bob@example.org");
                using MilterVerdict verdict = await EndAsync(session);
                Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
            }
        }

        await milter.EndedAsync();
        Assert.Equal("OCHMAMRTLNBEAQ", Codes(milter));
    }

    [Fact]
    public async Task AcceptAtConnectEndsTheSessionForThatMilter()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('C', code, Packet('a')));
        await using (MilterSession session = Open(milter.Address))
        {
            await GreetAsync(session);
            await session.MailAsync(Envelope);
            using MilterVerdict verdict = await EndAsync(session);
            Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        }

        await milter.EndedAsync();
        Assert.Equal("OCQ", Codes(milter));
    }

    [Fact]
    public async Task StepsTheMilterWillNotAnswerAreNotAwaited()
    {
        const uint noReplies = (uint)(MilterSteps.NoReplyConnect | MilterSteps.NoReplyHelo | MilterSteps.NoReplyMail | MilterSteps.NoReplyRecipient | MilterSteps.NoReplyData);
        await using var milter = new FakeMilter(steps: noReplies, respond: (code, _) => code is (byte)'C' or (byte)'H' or (byte)'M' or (byte)'R' or (byte)'T' ? [] : null);
        await using (MilterSession session = Open(TimeSpan.FromSeconds(30), MilterDefaultAction.Reject, milter.Address))
        {
            await GreetAsync(session);
            Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
            Assert.Equal(MilterVerdictKind.Accept, (await session.RecipientAsync(Envelope, "bob@example.org")).Kind);
            using MilterVerdict verdict = await EndAsync(session);
            Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        }

        await milter.EndedAsync();
        Assert.Equal("OCHMRTLNBEAQ", Codes(milter));
    }

    [Fact]
    public async Task TheSessionMayIdleBetweenEventsLongerThanTheCommandDeadline()
    {
        await using var milter = new FakeMilter();
        await using MilterSession session = Open(TimeSpan.FromMilliseconds(200), MilterDefaultAction.Reject, milter.Address);
        await GreetAsync(session);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Token);
        Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
    }

    [Fact]
    public async Task AMilterThatFailsAtRcptGetsItsDefaultActionThereAndAtEveryLaterMail()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('R', code, Packet('s')));
        await using MilterSession session = Open(milter.Address);
        await GreetAsync(session);
        await session.MailAsync(Envelope);
        Assert.Equal("451 4.7.1 Service unavailable - try again later", (await session.RecipientAsync(Envelope, "bob@example.org")).ToString());
        Assert.Equal(451, (await session.MailAsync(Envelope)).ReplyCode);
    }

    [Fact]
    public async Task AFailedMilterWithDefaultAcceptIsLeftOutAndTheOthersGoOn()
    {
        await using var broken = new FakeMilter(respond: (code, _) => At('M', code, Packet('s')));
        await using var working = new FakeMilter(respond: (code, _) => At('E', code, Packet('h', Z("X-Working"), Z("yes")), Packet('c')));
        await using MilterSession session = Open(TimeSpan.FromSeconds(30), MilterDefaultAction.Accept, broken.Address, working.Address);
        await GreetAsync(session);
        Assert.Equal(MilterVerdictKind.Accept, (await session.MailAsync(Envelope)).Kind);
        using MilterVerdict verdict = await EndAsync(session);
        Assert.Equal([new HeaderAdded("X-Working", " yes")], verdict.Modifications);
    }

    [Fact]
    public async Task ALaterMilterSeesTheHeaderEditsAndTheBodyOfTheEarlierOnes()
    {
        await using var first = new FakeMilter(respond: (code, _) => At('E', code,
            Packet('m', U32(1), Z("Subject"), Z("[first] hello")), Packet('h', Z("X-First"), Z("yes")), Packet('b', "New body\r\n"u8.ToArray()), Packet('c')));
        await using var second = new FakeMilter(respond: (code, _) => At('E', code, Packet('h', Z("X-Second"), Z("yes")), Packet('c')));
        await using (MilterSession session = Open(first.Address, second.Address))
        {
            await GreetAsync(session);
            await session.MailAsync(Envelope);
            using MilterVerdict verdict = await EndAsync(session);
            Assert.Equal(4, verdict.Modifications.Count + (verdict.ReplacedBody is null ? 0 : 1));
            var output = new MemoryStream();
            await MilterChain.WriteModifiedAsync(verdict, "", new MemoryStream(Encoding.UTF8.GetBytes(Message)), output, Token);
            Assert.Equal("Subject: [first] hello\r\nX-First: yes\r\nX-Second: yes\r\n\r\nNew body\r\n", Encoding.UTF8.GetString(output.ToArray()));
        }

        await second.EndedAsync();
        string[] headers = [.. second.Received.Where(r => r.Code == 'L').Select(r => Encoding.UTF8.GetString(r.Data))];
        Assert.Equal(["Subject\0[first] hello\0", "X-First\0yes\0"], headers);
        Assert.Equal("New body\r\n"u8.ToArray(), second.Received.Single(r => r.Code == 'B').Data);
    }

    [Fact]
    public async Task ARefusalAtDataIsTheAnswerToDataAndTheContentIsNotSent()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('T', code, Packet('y', Z("550 5.7.1 Not now"))));
        await using (MilterSession session = Open(milter.Address))
        {
            await GreetAsync(session);
            await session.MailAsync(Envelope);
            await session.RecipientAsync(Envelope, "bob@example.org");
            Assert.Equal("550 5.7.1 Not now", (await session.DataAsync(Envelope)).ToString());
            Assert.Null(session.SessionRefusal);
        }

        await milter.EndedAsync();
        Assert.Equal("OCHMRTAQ", Codes(milter));
    }

    [Theory]
    [InlineData(MilterDefaultAction.Tempfail, "451 4.7.1 Service unavailable - try again later")]
    [InlineData(MilterDefaultAction.Reject, "550 5.7.1 Command rejected")]
    public async Task AMilterThatFailsAtDataGetsItsDefaultActionThereAndForTheRestOfTheSession(MilterDefaultAction action, string reply)
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('T', code, Packet('s')));
        await using MilterSession session = Open(TimeSpan.FromSeconds(30), action, milter.Address);
        await GreetAsync(session);
        await session.MailAsync(Envelope);

        Assert.Equal(reply, (await session.DataAsync(Envelope)).ToString());
        Assert.Equal(reply, session.SessionRefusal?.ToString());
        Assert.Equal(reply, (await session.MailAsync(Envelope)).ToString());
    }

    [Fact]
    public async Task AMilterThatFailsAtDataWithDefaultAcceptIsLeftOutAndTheMessageGoesOn()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('T', code, Packet('s')));
        await using MilterSession session = Open(TimeSpan.FromSeconds(30), MilterDefaultAction.Accept, milter.Address);
        await GreetAsync(session);
        await session.MailAsync(Envelope);

        Assert.Equal(MilterVerdictKind.Accept, (await session.DataAsync(Envelope)).Kind);
        using MilterVerdict verdict = await session.MessageAsync(Envelope, "", new MemoryStream(Encoding.UTF8.GetBytes(Message)), Token);
        Assert.Equal(MilterVerdictKind.Accept, verdict.Kind);
        Assert.Null(session.SessionRefusal);
    }

    [Fact]
    public async Task AHeloRefusalIsTheSessionRefusalThatOtherCommandsAreAnsweredWith()
    {
        await using var milter = new FakeMilter(respond: (code, _) => At('H', code, Packet('t')));
        await using MilterSession session = Open(milter.Address);
        await session.ConnectAsync(Facts);
        Assert.Null(session.SessionRefusal);

        await session.HeloAsync(Facts);

        Assert.Equal("451 4.7.1 Service unavailable - try again later", session.SessionRefusal?.ToString());
    }
}

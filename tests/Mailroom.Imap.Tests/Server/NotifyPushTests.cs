using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// NOTIFY (RFC 5465 §5) for a client that does not idle: events go out as they happen, between its commands, with no
/// command sent to fetch them; EXPUNGE still waits for a command (RFC 3501 §7.4.1).
/// </summary>
public sealed class NotifyPushTests
{
    [Fact]
    public async Task ANewMessageInAnotherMailboxIsPushedBetweenCommandsWithoutIdle()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("c", "CREATE Lists");
        Assert.Equal(["n OK NOTIFY completed."], await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));

        await s.Other.AppendAsync("Lists", 1);

        // No command is in flight: the STATUS arrives on its own.
        Assert.Matches(@"^\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$", await s.Client.ReadLineAsync());
        Assert.Equal(["a OK NOOP completed."], await s.Client.CommandAsync("a", "NOOP"));
    }

    [Fact]
    public async Task MailboxNameChangesArePushedBetweenCommands()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        await s.Other.CommandAsync("c", "CREATE Lists");

        Assert.Equal("* LIST () \"/\" Lists", await s.Client.ReadLineAsync());
    }

    [Fact]
    public async Task SelectedMailboxNewsIsPushedBetweenCommandsWhileExpungesWaitForTheNextCommand()
    {
        await using TwoSessions s = await TwoSessions.StartAsync(delivered: 2);
        // The other session selects first and so takes \Recent for the two (RFC 3501 §2.3.2).
        await s.SelectInboxAsync();
        await s.Client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))");

        await s.Other.CommandAsync("d", @"STORE 1 +FLAGS.SILENT (\Deleted)");
        Assert.Equal(@"* 1 FETCH (UID 1 FLAGS (\Deleted))", await s.Client.ReadLineAsync());

        await s.Other.CommandAsync("e", "EXPUNGE");
        await s.Server.DeliverAsync(ImapTestServer.Message(3));

        // The expunged message keeps its number until a command may report it: the new one is the third.
        Assert.Equal("* 3 EXISTS", await s.Client.ReadLineAsync());
        Assert.Equal("* 1 RECENT", await s.Client.ReadLineAsync());
        Assert.Equal(["* 1 EXPUNGE", "a OK NOOP completed."], await s.Client.CommandAsync("a", "NOOP"));
        Assert.Equal(["* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "b OK Fetch completed."], await s.Client.CommandAsync("b", "FETCH 1:* UID"));
    }

    [Fact]
    public async Task WithoutNotifyNothingIsSentBetweenCommands()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("s", "SELECT INBOX");

        await server.DeliverAsync(ImapTestServer.Message(1));
        await client.SendAsync("a NOOP\r\n");

        // The EXISTS comes with the NOOP, after it was sent, as RFC 3501 clients expect; not before it.
        Assert.Equal(["* 1 EXISTS", "* 1 RECENT", "a OK NOOP completed."], await client.ReadUntilTaggedAsync("a"));
    }

    [Fact]
    public async Task ACommandWithALiteralSentWhileEventsArriveIsReadWhole()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        for (int i = 0; i < 20; i++)
        {
            // Interleave wakes with a literal-bearing command: the wake must never cut the literal's read short.
            Task create = s.Other.CommandAsync("c" + i, "CREATE Box" + i);
            string box = "Box" + i;
            await s.Client.SendAsync("l" + i + " LIST \"\" {" + box.Length + "}\r\n");
            await create;
            var continuation = new List<string>();
            while (continuation.Count < 10 && !(continuation.LastOrDefault()?.StartsWith('+') ?? false))
            {
                continuation.Add(await s.Client.ReadLineAsync() ?? throw new EndOfStreamException());
            }

            Assert.StartsWith("+ ", continuation[^1], StringComparison.Ordinal);
            await s.Client.SendAsync(box + "\r\n");
            List<string> list = await s.Client.ReadUntilTaggedAsync("l" + i);
            Assert.Equal("l" + i + " OK List completed.", list[^1]);
            Assert.Contains("* LIST () \"/\" " + box, continuation.Concat(list));
        }
    }
}

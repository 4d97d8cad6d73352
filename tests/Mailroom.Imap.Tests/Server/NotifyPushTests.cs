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
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await using RawImapClient other = await server.LoggedInAsync();
        await client.CommandAsync("c", "CREATE Lists");
        Assert.Equal(["n OK NOTIFY completed."], await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));

        await other.AppendAsync("Lists", 1);

        // No command is in flight: the STATUS arrives on its own.
        Assert.Matches(@"^\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$", await client.ReadLineAsync());
        Assert.Equal(["a OK NOOP completed."], await client.CommandAsync("a", "NOOP"));
    }

    [Fact]
    public async Task MailboxNameChangesArePushedBetweenCommands()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await using RawImapClient other = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        await other.CommandAsync("c", "CREATE Lists");

        Assert.Equal("* LIST () \"/\" Lists", await client.ReadLineAsync());
    }

    [Fact]
    public async Task SelectedMailboxNewsIsPushedBetweenCommandsWhileExpungesWaitForTheNextCommand()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient other = await server.LoggedInAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        // The other session selects first and so takes \Recent for the two (RFC 3501 §2.3.2).
        await other.CommandAsync("s", "SELECT INBOX");
        await client.CommandAsync("s", "SELECT INBOX");
        await client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))");

        await other.CommandAsync("d", @"STORE 1 +FLAGS.SILENT (\Deleted)");
        Assert.Equal(@"* 1 FETCH (UID 1 FLAGS (\Deleted))", await client.ReadLineAsync());

        await other.CommandAsync("e", "EXPUNGE");
        await server.DeliverAsync(ImapTestServer.Message(3));

        // The expunged message keeps its number until a command may report it: the new one is the third.
        Assert.Equal("* 3 EXISTS", await client.ReadLineAsync());
        Assert.Equal("* 1 RECENT", await client.ReadLineAsync());
        Assert.Equal(["* 1 EXPUNGE", "a OK NOOP completed."], await client.CommandAsync("a", "NOOP"));
        Assert.Equal(["* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "b OK Fetch completed."], await client.CommandAsync("b", "FETCH 1:* UID"));
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
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await using RawImapClient other = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        for (int i = 0; i < 20; i++)
        {
            // Interleave wakes with a literal-bearing command: the wake must never cut the literal's read short.
            Task create = other.CommandAsync("c" + i, "CREATE Box" + i);
            string box = "Box" + i;
            await client.SendAsync("l" + i + " LIST \"\" {" + box.Length + "}\r\n");
            await create;
            var continuation = new List<string>();
            while (continuation.Count < 10 && !(continuation.LastOrDefault()?.StartsWith('+') ?? false))
            {
                continuation.Add(await client.ReadLineAsync() ?? throw new EndOfStreamException());
            }

            Assert.StartsWith("+ ", continuation[^1], StringComparison.Ordinal);
            await client.SendAsync(box + "\r\n");
            List<string> list = await client.ReadUntilTaggedAsync("l" + i);
            Assert.Equal("l" + i + " OK List completed.", list[^1]);
            Assert.Contains("* LIST () \"/\" " + box, continuation.Concat(list));
        }
    }
}

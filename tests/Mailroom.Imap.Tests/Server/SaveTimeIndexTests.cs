using Mailroom.Imap.Tests.Protocol;
using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// The index entry the store writes while it saves a message (delivery, APPEND, COPY, MOVE) is exactly what FETCH
/// computes from the file: a server that indexes at save time and one that parses at FETCH time answer byte for byte
/// alike, and the indexing one has every entry before the first FETCH.
/// </summary>
public sealed class SaveTimeIndexTests
{
    private const string Headerless = "\tThis message has no header.\nIt is only a body.\n";

    private static readonly string[] Messages =
    [
        SampleMessages.Plain, SampleMessages.Mixed, SampleMessages.QuotedPrintable, Headerless, ImapTestServer.Message(1),
        "From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\nSubject: =?iso-8859-1?q?caf=E9?=\nReferences: <a@x> <b@x>\nIn-Reply-To: <b@x>\n\nx\n",
    ];

    private const string Items = "FETCH 1:* (ENVELOPE BODY BODYSTRUCTURE RFC822.SIZE)";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EntriesWrittenAtSaveTimeAreWhatFetchComputesFromTheFile(bool maildir)
    {
        await using ImapTestServer indexing = await ImapTestServer.StartAsync(maildir: maildir);
        await using ImapTestServer parsing = await ImapTestServer.StartAsync(maildir: maildir, indexing: false);
        var answers = new List<List<string>>();
        foreach (ImapTestServer server in (ImapTestServer[])[indexing, parsing])
        {
            foreach (string message in Messages)
            {
                await server.DeliverAsync(message);
            }

            await using RawImapClient client = await server.ConnectAsync();
            await client.LoginAsync();
            await client.CommandAsync("c1", "CREATE Appended");
            await client.CommandAsync("c2", "CREATE Copies");
            await client.CommandAsync("c3", "CREATE Moved");
            await client.CommandAsync("s1", "SELECT INBOX");
            if (server == indexing)
            {
                AssertEveryMessageIndexed(server, "INBOX");
            }

            foreach (string message in Messages)
            {
                string text = message.ReplaceLineEndings("\r\n");
                int length = System.Text.Encoding.UTF8.GetByteCount(text);
                List<string> appended = await client.CommandAsync("ap", "APPEND Appended {" + length + "+}\r\n" + text);
                Assert.StartsWith("ap OK", appended[^1], StringComparison.Ordinal);
            }

            await client.CommandAsync("cp", "COPY 1:* Copies");
            await client.CommandAsync("mv", "MOVE 1:3 Moved");
            foreach (string folder in (string[])["Appended", "Copies", "Moved", "INBOX"])
            {
                if (server == indexing)
                {
                    AssertEveryMessageIndexed(server, folder);
                }

                await client.CommandAsync("sel", "EXAMINE " + folder);
                answers.Add(await client.CommandAsync("f", Items));
            }
        }

        int half = answers.Count / 2;
        for (int i = 0; i < half; i++)
        {
            Assert.Equal(answers[half + i], answers[i]);
        }

        Assert.Contains(answers[0], line => line.Contains("BODYSTRUCTURE ((", StringComparison.Ordinal));
    }

    private static void AssertEveryMessageIndexed(ImapTestServer server, string name)
    {
        using FolderLease lease = server.Mailboxes.OpenFolder(ImapTestServer.Charlie, name)!;
        IReadOnlyList<MessageRecord> messages = lease.Folder.Refresh().Messages;
        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            // PREVIEW is computed at the first FETCH that asks for it (RFC 8970 LAZY answers NIL until then), not at save time.
            foreach (CachedField field in Enum.GetValues<CachedField>().Where(static f => f != CachedField.Preview))
            {
                Assert.NotNull(lease.Folder.GetCached(m.Uid, field));
            }
        });
    }
}

using System.Text;
using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// A Maildir filled by another program (a migration) is indexed at the first EXAMINE from each file's header, on
/// several cores at once: the first FETCH then answers from the index exactly what a server that parses every file at
/// FETCH time answers, hostile files included (binary, empty, a header that never ends, a header folded thousands of
/// times), each within the parser's bounds and without stopping the others.
/// </summary>
public sealed class CopiedMaildirTests
{
    // Message 1 is the delivery that made the Maildir, dated when each server received it: the copied files follow.
    private const string Items = "FETCH 2:* (FLAGS ENVELOPE RFC822.SIZE INTERNALDATE)";

    [Fact]
    public async Task CopiedFilesAreIndexedAtTheFirstExamineAndFetchAnswersAsFromTheFiles()
    {
        List<(string Name, byte[] Content)> files = CopiedFiles();
        await using ImapTestServer indexing = await ImapTestServer.StartAsync(maildir: true);
        await using ImapTestServer parsing = await ImapTestServer.StartAsync(maildir: true, indexing: false);
        var answers = new List<List<string>>();
        foreach (ImapTestServer server in (ImapTestServer[])[indexing, parsing])
        {
            // The Maildir exists (the user had mail before); the old mail is copied in beside it.
            await server.DeliverAsync(ImapTestServer.Message(1));
            string maildir = server.Maildirs.GetMaildirPath(ImapTestServer.Charlie);
            for (int i = 0; i < files.Count; i++)
            {
                string path = Path.Combine(maildir, files[i].Name);
                await File.WriteAllBytesAsync(path, files[i].Content, TestContext.Current.CancellationToken);
                File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(1500000000 + (3600L * i)));
            }

            await using RawImapClient client = await server.ConnectAsync();
            await client.LoginAsync();
            List<string> examined = await client.CommandAsync("e", "EXAMINE INBOX");
            Assert.Contains($"* {files.Count + 1} EXISTS", examined);
            if (server == indexing)
            {
                using FolderLease lease = server.Mailboxes.OpenFolder(ImapTestServer.Charlie, "INBOX", keepNew: true)!;
                Assert.All(lease.Folder.Current.Messages, m => Assert.NotNull(lease.Folder.GetCached(m.Uid, CachedField.Envelope)));
            }

            answers.Add(await client.CommandAsync("f", Items));
        }

        Assert.Equal(answers[1], answers[0]);
        Assert.Contains(answers[0], line => line.Contains("\"migrated 23\"", StringComparison.Ordinal));
    }

    private static List<(string Name, byte[] Content)> CopiedFiles()
    {
        var files = new List<(string Name, byte[] Content)>();
        var random = new Random(14);
        for (int i = 0; i < 24; i++)
        {
            string text = $"From: Old Sender <old{i}@example.net>\r\nTo: charlie@alpha.example.org\r\nSubject: migrated {i}\r\n" +
                $"Date: Mon, 6 Nov 2017 10:{i:00}:00 +0000\r\nMessage-ID: <{i}@old.example>\r\n\r\nbody {i}\r\n";
            files.Add((Name(files.Count, seen: i % 2 == 0), Encoding.ASCII.GetBytes(text)));
        }

        byte[] binary = new byte[64 * 1024];
        random.NextBytes(binary);
        files.Add((Name(files.Count, seen: false), binary));
        files.Add((Name(files.Count, seen: true), []));
        files.Add((Name(files.Count, seen: false), Encoding.ASCII.GetBytes("X-Long: " + new string('a', 200 * 1024))));
        files.Add((Name(files.Count, seen: false), Encoding.ASCII.GetBytes("Subject: folded\r\n" + string.Concat(Enumerable.Repeat(" again\r\n", 5000)))));
        files.Add((Name(files.Count, seen: true), Encoding.ASCII.GetBytes("\tno header at all\r\nonly a body\r\n")));
        return files;

        static string Name(int i, bool seen) => seen ? $"cur/{1500000000 + i}.M{i}P7.oldhost:2,S" : $"new/{1500000000 + i}.M{i}P7.oldhost";
    }
}

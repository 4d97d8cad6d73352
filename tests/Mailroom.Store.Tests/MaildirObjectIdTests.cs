using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>
/// RFC 8474 ids and RFC 8514 save dates on Maildir: kept in the files (the mailbox id file, the message names), so a
/// restart or a lost index keeps them.
/// </summary>
public sealed class MaildirObjectIdTests : IDisposable
{
    private const string User = "carol@example.org";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-objectid-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task MailboxIdsEmailIdsAndSaveDatesSurviveARestartWithoutTheIndex()
    {
        string inboxId;
        string folderId;
        string emailId;
        string copyId;
        DateTimeOffset saveDate;
        using (MaildirStore store = NewStore())
        {
            Assert.Equal(FolderResult.Ok, store.CreateFolder(User, "Kept"));
            inboxId = store.GetMailboxId(User, "INBOX")!;
            folderId = store.GetMailboxId(User, "Kept")!;
            using FolderLease inbox = store.OpenFolder(User, "INBOX")!;
            using FolderLease kept = store.OpenFolder(User, "Kept")!;
            uint uid = await StoreOperations.AppendAsync(inbox.Folder, "Subject: x\r\n\r\nx\r\n"u8.ToArray());
            await inbox.Folder.CopyToAsync(kept.Folder, [uid], TestContext.Current.CancellationToken);
            emailId = inbox.Folder.GetEmailId(inbox.Folder.Current.Messages[0]);
            saveDate = inbox.Folder.GetSaveDate(inbox.Folder.Current.Messages[0]);
            copyId = kept.Folder.GetEmailId(kept.Folder.Refresh().Messages[0]);
        }

        File.Delete(Path.Combine(_root.FullName, "example.org", "carol", "mailroom-index.db"));

        using (MaildirStore store = NewStore())
        {
            Assert.Equal(inboxId, store.GetMailboxId(User, "INBOX"));
            Assert.Equal(folderId, store.GetMailboxId(User, "Kept"));
            using FolderLease inbox = store.OpenFolder(User, "INBOX")!;
            using FolderLease kept = store.OpenFolder(User, "Kept")!;
            MessageRecord record = Assert.Single(inbox.Folder.Current.Messages);
            Assert.Equal(emailId, inbox.Folder.GetEmailId(record));
            Assert.Equal(saveDate, inbox.Folder.GetSaveDate(record));
            Assert.Equal(emailId, copyId);
            Assert.Equal(emailId, kept.Folder.GetEmailId(Assert.Single(kept.Folder.Current.Messages)));
        }
    }

    [Fact]
    public void AnUnreadableMailboxIdFileIsReplacedByANewId()
    {
        using MaildirStore store = NewStore();
        string first = store.GetMailboxId(User, "INBOX")!;
        File.WriteAllText(Path.Combine(store.GetMaildirPath(User), MaildirStore.MailboxIdFileName), "not an id!\n");

        string? second = store.GetMailboxId(User, "INBOX");

        Assert.True(ObjectIds.IsValid(second));
        Assert.NotEqual(first, second);
        Assert.Equal(second, store.GetMailboxId(User, "INBOX"));
    }

    [Fact]
    public void TheSaveDateIsReadFromTheNamesTimeToTheMicrosecond()
    {
        DateTimeOffset? date = MaildirObjectNames.SaveTimeOf("1765000000.M123456P42Q1.host,S=10,W=10", Now);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1765000000).AddTicks(1234560), date);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1765000000), MaildirObjectNames.SaveTimeOf("1765000000.12345_1.host", Now));
    }

    [Theory]
    [InlineData("message-from-elsewhere")]
    [InlineData("12.M1P1Q1.host")]
    [InlineData("99999999999.M1P1Q1.host")]
    [InlineData(".1765000000")]
    public void ANameWithoutAPlausibleTimeHasNoSaveDate(string name) =>
        Assert.Null(MaildirObjectNames.SaveTimeOf(name, Now));

    [Fact]
    public void ACopysNameCarriesTheOriginalsEmailIdAndAnyOtherNameDerivesOne()
    {
        string original = "1765000000.M1P1Q1.host,S=10,W=10";
        string derived = MaildirObjectNames.EmailIdOf(original);
        string copy = MaildirObjectNames.WithEmailId("1765000001.M2P1Q2.host,S=10,W=10", derived);

        Assert.True(ObjectIds.IsValid(derived));
        Assert.Equal(derived, MaildirObjectNames.EmailIdOf(copy));
        Assert.Equal(10, MaildirFileName.SizeField(copy, 'W'));
        Assert.NotEqual(derived, MaildirObjectNames.EmailIdOf("1765000000.M1P1Q2.host,S=10,W=10"));
        Assert.Equal(MaildirObjectNames.EmailIdOf("x,E="), ObjectIds.Derived('M', "x,E="));
    }

    private MaildirStore NewStore() =>
        new(Options.Create(new StoreOptions { MailRoot = _root.FullName }), TimeProvider.System, NullLogger<MaildirStore>.Instance);
}

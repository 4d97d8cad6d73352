using Mailroom.Directory.Admin;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// A user's own spam-to-Junk switch in Mailroom's <c>mailbox.spam_to_junk</c> column: present in Mailroom's SQLite
/// schema, absent from postfixadmin's (everyone then has the default) until the admin adds it, on all three databases alike.
/// </summary>
public sealed class SpamToJunkColumnTests
{
    private const string AddColumn = "ALTER TABLE mailbox ADD COLUMN spam_to_junk integer NULL";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.ExternalProviders), MemberType = typeof(OwnMailboxColumns))]
    public async Task APostfixadminSchemaWithoutTheColumnGivesEveryoneTheDefault(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);

        Assert.Null(await f.Directory.GetSpamToJunkAsync("ann@example.org", Ct));
        Assert.Null(await f.Directory.GetSpamToJunkAsync("bob@example.org", Ct));
        Assert.True((await f.Directory.AuthenticateAsync("ann@example.org", "pw-ann", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.ExternalProviders), MemberType = typeof(OwnMailboxColumns))]
    public async Task SettingTheSwitchWithoutTheColumnSaysHowToAddIt(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);

        DirectoryAdminException refused = await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetSpamToJunkAsync("ann@example.org", false, Ct));

        Assert.Contains(AddColumn, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.Providers), MemberType = typeof(OwnMailboxColumns))]
    public async Task TheSwitchSetByTheAdminIsReadBackAndNullMeansTheDefault(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithColumnsAsync(provider, AddColumn);

        await f.Admin.SetSpamToJunkAsync("ann@example.org", false, Ct);
        await f.Admin.SetSpamToJunkAsync("bob@example.org", true, Ct);
        SqlMailDirectory directory = f.CreateDirectory(f.CopyOptions());

        Assert.False(await directory.GetSpamToJunkAsync("ann@example.org", Ct));
        Assert.True(await directory.GetSpamToJunkAsync("BOB@example.org", Ct));
        Assert.Null(await directory.GetSpamToJunkAsync("nobody@example.org", Ct));

        await f.Admin.SetSpamToJunkAsync("ann@example.org", null, Ct);
        Assert.Null(await f.CreateDirectory(f.CopyOptions()).GetSpamToJunkAsync("ann@example.org", Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetSpamToJunkAsync("nobody@example.org", true, Ct));
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.Providers), MemberType = typeof(OwnMailboxColumns))]
    public async Task TheSwitchIsCachedLikeTheOtherLookups(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithColumnsAsync(provider, AddColumn);

        await f.Admin.SetSpamToJunkAsync("ann@example.org", false, Ct);
        DirectoryOptions cached = f.CopyOptions();
        cached.CacheTtl = TimeSpan.FromMinutes(1);
        SqlMailDirectory directory = f.CreateDirectory(cached);
        Assert.False(await directory.GetSpamToJunkAsync("ann@example.org", Ct));

        await f.ExecuteSqlAsync("UPDATE mailbox SET spam_to_junk = 1 WHERE username = 'ann@example.org'");

        Assert.False(await directory.GetSpamToJunkAsync("ann@example.org", Ct));
        Assert.True(await f.CreateDirectory(f.CopyOptions()).GetSpamToJunkAsync("ann@example.org", Ct));
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.Providers), MemberType = typeof(OwnMailboxColumns))]
    public async Task ACustomQueryServesTheSwitchFromAnotherSchema(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);
        await f.ExecuteSqlAsync("CREATE TABLE prefs (login varchar(200) NOT NULL, junk varchar(5) NOT NULL)");
        await f.ExecuteSqlAsync("INSERT INTO prefs VALUES ('ann@example.org', 'false')");
        DirectoryOptions options = f.CopyOptions();
        options.Queries.SpamToJunk = "SELECT junk FROM prefs WHERE login = @user";
        SqlMailDirectory directory = f.CreateDirectory(options);

        await directory.ValidateQueriesAsync(Ct);
        Assert.False(await directory.GetSpamToJunkAsync("ann@example.org", Ct));
        Assert.Null(await directory.GetSpamToJunkAsync("bob@example.org", Ct));
    }
}

using Mailroom.Directory.Admin;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// A user's own sending limits in Mailroom's <c>mailbox.messages_per_hour</c> and <c>recipients_per_hour</c> columns:
/// present in Mailroom's SQLite schema, absent from postfixadmin's (everyone then has the defaults) until the admin adds
/// them, on all three databases alike.
/// </summary>
public sealed class SendingLimitColumnTests
{
    private const string AddColumns = "ALTER TABLE mailbox ADD COLUMN messages_per_hour integer NULL, ADD COLUMN recipients_per_hour integer NULL";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.ExternalProviders), MemberType = typeof(OwnMailboxColumns))]
    public async Task APostfixadminSchemaWithoutTheColumnsGivesEveryoneTheDefaults(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);

        Assert.Equal(UserSendingLimits.Defaults, await f.Directory.GetSendingLimitsAsync("ann@example.org", Ct));
        Assert.Equal(UserSendingLimits.Defaults, await f.Directory.GetSendingLimitsAsync("ann@example.org", Ct));
        Assert.True((await f.Directory.AuthenticateAsync("ann@example.org", "pw-ann", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.ExternalProviders), MemberType = typeof(OwnMailboxColumns))]
    public async Task SettingLimitsWithoutTheColumnsSaysHowToAddThem(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);

        DirectoryAdminException refused = await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetSendingLimitsAsync("ann@example.org", 10, null, Ct));

        Assert.Contains("ALTER TABLE mailbox ADD COLUMN messages_per_hour", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.Providers), MemberType = typeof(OwnMailboxColumns))]
    public async Task LimitsSetByTheAdminAreReadBackAndNullMeansTheDefault(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithColumnsAsync(provider, AddColumns);

        await f.Admin.SetSendingLimitsAsync("ann@example.org", 50, 0, Ct);
        SqlMailDirectory directory = f.CreateDirectory(f.CopyOptions());

        Assert.Equal(new UserSendingLimits(50, 0), await directory.GetSendingLimitsAsync("ann@example.org", Ct));
        Assert.Equal(UserSendingLimits.Defaults, await directory.GetSendingLimitsAsync("bob@example.org", Ct));
        Assert.Equal(UserSendingLimits.Defaults, await directory.GetSendingLimitsAsync("nobody@example.org", Ct));

        await f.Admin.SetSendingLimitsAsync("ann@example.org", null, 7, Ct);
        Assert.Equal(new UserSendingLimits(null, 7), await f.CreateDirectory(f.CopyOptions()).GetSendingLimitsAsync("ann@example.org", Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetSendingLimitsAsync("nobody@example.org", 1, 1, Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetSendingLimitsAsync("ann@example.org", -1, 1, Ct));
    }

    [Theory]
    [MemberData(nameof(OwnMailboxColumns.Providers), MemberType = typeof(OwnMailboxColumns))]
    public async Task ACustomQueryServesLimitsFromAnotherSchema(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await OwnMailboxColumns.WithAnnAndBobAsync(provider);
        await f.ExecuteSqlAsync("CREATE TABLE send_limits (login varchar(200) NOT NULL, per_hour integer NOT NULL)");
        await f.ExecuteSqlAsync("INSERT INTO send_limits VALUES ('ann@example.org', 12)");
        DirectoryOptions options = f.CopyOptions();
        options.Queries.SendingLimits = "SELECT per_hour, NULL FROM send_limits WHERE login = @user";
        SqlMailDirectory directory = f.CreateDirectory(options);

        await directory.ValidateQueriesAsync(Ct);
        Assert.Equal(new UserSendingLimits(12, null), await directory.GetSendingLimitsAsync("ann@example.org", Ct));
        Assert.Equal(UserSendingLimits.Defaults, await directory.GetSendingLimitsAsync("bob@example.org", Ct));
    }
}

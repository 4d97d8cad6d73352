using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// A database made the way postfixadmin makes it — its own DDL (foreign keys, extra columns and tables) and rows,
/// with passwords hashed by <c>doveadm pw</c> (Fixtures/postfixadmin-*.sql) — served as it is.
/// </summary>
public sealed class PostfixadminFixtureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DirectoryProvider> Servers => new() { DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    internal static async Task<SqlDirectoryFixture> LoadAsync(DirectoryProvider provider)
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider, createSchema: false);
        string ddl = provider == DirectoryProvider.MySql ? "postfixadmin-mysql.sql" : "postfixadmin-pgsql.sql";
        await f.ExecuteSqlAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", ddl), Ct));
        await f.ExecuteSqlAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "postfixadmin-data.sql"), Ct));
        return f;
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task EveryUserLogsInWithTheirPostfixadminPassword(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await LoadAsync(provider);
        (string User, string Password)[] users =
        [
            ("sha512@example.org", "pass-SHA512-CRYPT"),
            ("sha256@example.org", "pass-SHA256-CRYPT"),
            ("md5@example.org", "pass-MD5-CRYPT"),
            ("bare@example.org", "pass-bare"),
            ("blf@example.org", "pass-BLF-CRYPT"),
            ("ssha512@example.org", "pass-SSHA512"),
            ("plainmd5@example.org", "pass-PLAIN-MD5"),
        ];
        foreach ((string user, string password) in users)
        {
            Assert.True((await f.Directory.AuthenticateAsync(user, password, Ct)).Succeeded, user);
            Assert.False((await f.Directory.AuthenticateAsync(user, password + "x", Ct)).Succeeded, user);
        }

        Assert.False((await f.Directory.AuthenticateAsync("gone@example.org", "pass-gone", Ct)).Succeeded);
        Assert.False((await f.Directory.AuthenticateAsync("ghost@disabled.example", "pass-ghost", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task PostfixadminAliasesAliasDomainsAndQuotasAreServedAsTheyAre(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await LoadAsync(provider);
        Assert.Equal(["sha512@example.org", "sha256@example.org"], (await f.ResolveAsync("postmaster@example.org")).LocalMailboxes);
        RecipientResolution forwarded = await f.ResolveAsync("md5@example.org");
        Assert.Equal(["md5@example.org"], forwarded.LocalMailboxes);
        Assert.Equal(["archive@example.com"], forwarded.ExternalAddresses);
        Assert.Equal(["sha512@example.org"], (await f.ResolveAsync("blf@example.org")).LocalMailboxes);
        Assert.Equal(["sha256@example.org"], (await f.ResolveAsync("sha256@example.net")).LocalMailboxes);
        Assert.Equal(["bare@example.org"], (await f.ResolveAsync("whoever@example.org")).LocalMailboxes);
        Assert.Equal(["bare@example.org"], (await f.ResolveAsync("gone@example.org")).LocalMailboxes);
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("ghost@disabled.example")).Status);
        Assert.Equal(10_485_760, await f.Directory.GetQuotaBytesAsync("sha512@example.org", Ct));
        Assert.Equal(0, await f.Directory.GetQuotaBytesAsync("md5@example.org", Ct));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task AdminVerbsWorkOnAPostfixadminDatabase(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await LoadAsync(provider);
        await f.Admin.AddUserAsync("new@example.org", "pw-new", quotaBytes: 1000, cancellationToken: Ct);
        await f.Admin.AddAliasAsync("sales@example.org", ["new@example.org"], Ct);
        Assert.Equal(["new@example.org"], (await f.ResolveAsync("sales@example.org")).LocalMailboxes);
        Assert.True((await f.Directory.AuthenticateAsync("new@example.org", "pw-new", Ct)).Succeeded);
        Assert.Contains(await f.Admin.ListDomainsAsync(Ct), d => d.Domain == "disabled.example" && !d.Active);
    }
}

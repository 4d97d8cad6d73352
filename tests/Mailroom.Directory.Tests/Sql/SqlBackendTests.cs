using Mailroom.Directory.Admin;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// The same directory semantics on SQLite, MariaDB and PostgreSQL: the admin verbs write postfixadmin rows, and
/// lookups follow aliases, loops, catch-alls, alias domains and active flags identically on each.
/// </summary>
public sealed class SqlBackendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DirectoryProvider> Providers => new() { DirectoryProvider.Sqlite, DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    private static async Task<SqlDirectoryFixture> CreateWithUsersAsync(DirectoryProvider provider)
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider);
        await f.Admin.AddDomainAsync("example.org", "Example", Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw-alice", "Alice", 5_000_000, Ct);
        await f.Admin.AddUserAsync("bob@example.org", "pw-bob", cancellationToken: Ct);
        return f;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AdminVerbsWriteRowsTheListsReadBack(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        await f.Admin.AddAliasAsync("info@example.org", ["alice@example.org", "carol@example.net"], Ct);
        await f.Admin.AddDomainAsync("example.com", cancellationToken: Ct);
        await f.Admin.AddAliasDomainAsync("example.net", "example.org", Ct);

        DomainInfo domain = Assert.Single(await f.Admin.ListDomainsAsync(Ct), d => d.Domain == "example.org");
        Assert.Equal((2, 1, true, "Example", "2025-01-02 03:04:05"), (domain.Mailboxes, domain.Aliases, domain.Active, domain.Description, domain.Created));
        IReadOnlyList<UserInfo> users = await f.Admin.ListUsersAsync("example.org", Ct);
        Assert.Equal(["alice@example.org", "bob@example.org"], users.Select(u => u.Address));
        Assert.Equal((5_000_000L, "example.org/alice/", "Alice"), (users[0].QuotaBytes, users[0].Maildir, users[0].Name));
        AliasInfo alias = Assert.Single(await f.Admin.ListAliasesAsync("example.org", Ct));
        Assert.Equal(["alice@example.org", "carol@example.net"], alias.Targets);
        Assert.Equal("example.org", Assert.Single(await f.Admin.ListAliasDomainsAsync(Ct)).TargetDomain);

        await f.Admin.SetQuotaAsync("bob@example.org", 1024, Ct);
        Assert.Equal(1024, await f.Directory.GetQuotaBytesAsync("bob@example.org", Ct));
        Assert.Equal(0, await f.Directory.GetQuotaBytesAsync("nobody@example.org", Ct));

        await f.Admin.RemoveAliasDomainAsync("example.net", Ct);
        await f.Admin.RemoveUserAsync("bob@example.org", Ct);
        await f.Admin.RemoveDomainAsync("example.com", cancellationToken: Ct);
        Assert.Equal(["alice@example.org"], (await f.Admin.ListUsersAsync(cancellationToken: Ct)).Select(u => u.Address));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync("alice@example.org", "x", cancellationToken: Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AliasesChainsLoopsCatchAllsAndAliasDomainsResolveAlike(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        await f.Admin.AddAliasAsync("sales@example.org", ["team@example.org"], Ct);
        await f.Admin.AddAliasAsync("team@example.org", ["alice@example.org", "bob@example.org", "partner@example.net"], Ct);
        await f.Admin.AddAliasAsync("ping@example.org", ["pong@example.org"], Ct);
        await f.Admin.AddAliasAsync("pong@example.org", ["ping@example.org", "bob@example.org"], Ct);
        await f.Admin.AddAliasAsync("@example.org", ["alice@example.org"], Ct);
        await f.Admin.AddAliasDomainAsync("example.info", "example.org", Ct);

        RecipientResolution chain = await f.ResolveAsync("Sales@Example.org");
        Assert.Equal(["alice@example.org", "bob@example.org"], chain.LocalMailboxes);
        Assert.Equal(["partner@example.net"], chain.ExternalAddresses);
        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("ping@example.org")).LocalMailboxes);
        Assert.Equal(["alice@example.org"], (await f.ResolveAsync("anything@example.org")).LocalMailboxes);
        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("bob@example.info")).LocalMailboxes);
        Assert.True(await f.Directory.IsLocalDomainAsync("example.info", Ct));
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("bob@example.net")).Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ActiveFlagsDisableUsersDomainsAndAliases(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        await f.Admin.AddAliasAsync("info@example.org", ["bob@example.org"], Ct);
        await f.Admin.SetUserActiveAsync("alice@example.org", false, Ct);
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("alice@example.org")).Status);
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "pw-alice", Ct)).Succeeded);

        await f.ExecuteSqlAsync("UPDATE alias SET active = FALSE WHERE address = 'info@example.org'");
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("info@example.org")).Status);

        await f.ExecuteSqlAsync("UPDATE domain SET active = FALSE WHERE domain = 'example.org'");
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("bob@example.org")).Status);
        Assert.False((await f.Directory.AuthenticateAsync("bob@example.org", "pw-bob", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PasswordsSetByTheAdminAuthenticate(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        AuthenticationResult ok = await f.Directory.AuthenticateAsync("ALICE@example.org", "pw-alice", Ct);
        Assert.Equal((true, "alice@example.org"), (ok.Succeeded, ok.UserName));
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "pw-bob", Ct)).Succeeded);
        await f.Admin.SetPasswordAsync("alice@example.org", "new secret", Ct);

        // MySQL/PostgreSQL cache the stored hash for Directory:CacheTtl (10 s): the change is seen after it.
        f.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "new secret", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SqlInjectionInUserNamesIsOnlyEverAValue(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        string[] attempts =
        [
            "\"' OR '1'='1\"@example.org",
            "\"x'; DROP TABLE mailbox; --\"@example.org",
            "x'--@example.org",
            "alice@example.org' OR '1'='1",
        ];
        foreach (string attempt in attempts)
        {
            Assert.NotEqual(RecipientStatus.Resolved, (await f.ResolveAsync(attempt)).Status);
            Assert.False((await f.Directory.AuthenticateAsync(attempt, "' OR '1'='1", Ct)).Succeeded);
            Assert.False((await f.Directory.AuthenticateAsync(attempt, "pw-alice", Ct)).Succeeded);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => f.Admin.AddDomainAsync("x'); DROP TABLE domain; --", cancellationToken: Ct));
        await f.Admin.AddUserAsync("o'brien@example.org", "pw", cancellationToken: Ct);
        Assert.Equal(["o'brien@example.org"], (await f.ResolveAsync("O'Brien@example.org")).LocalMailboxes);
        Assert.Equal(3, (await f.Admin.ListUsersAsync(cancellationToken: Ct)).Count);
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "pw-alice", Ct)).Succeeded);
    }

    [Theory]
    [InlineData(DirectoryProvider.MySql)]
    [InlineData(DirectoryProvider.PostgreSql)]
    public async Task SchemaIsCreatedOnlyInAnEmptyDatabase(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await CreateWithUsersAsync(provider);
        DirectoryAdminException refused = await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.CreateSchemaAsync(Ct));
        Assert.Contains("never alters an existing database", refused.Message, StringComparison.Ordinal);
        await f.Directory.InitializeAsync(Ct);
        Assert.Equal(2, (await f.Admin.ListUsersAsync(cancellationToken: Ct)).Count);
    }
}

using Mailroom.Directory.Admin;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests;

public sealed class AdminTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddUserToMissingDomainExplainsHowToAddTheDomain()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync("a@example.org", "pw", cancellationToken: Ct));
        Assert.Equal("domain example.org does not exist; add it first with: mailroom domain add example.org", error.Message);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a b@example.org")]
    [InlineData("\"quoted\"@example.org")]
    [InlineData("dir/escape@example.org")]
    public async Task InvalidUserAddressesAreRefused(string address)
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync(address, "pw", cancellationToken: Ct));
    }

    [Fact]
    public async Task DuplicatesEmptyPasswordsAndBadDomainsAreRefused()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("Example.ORG", "Example", Ct);
        Assert.Contains("already exists", (await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddDomainAsync("example.org", cancellationToken: Ct))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddDomainAsync("-bad-.org", cancellationToken: Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync("a@example.org", string.Empty, cancellationToken: Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync("a@example.org", "x", quotaBytes: -1, cancellationToken: Ct));
        await f.Admin.AddUserAsync("a@example.org", "pw", cancellationToken: Ct);
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddUserAsync("A@example.org", "pw", cancellationToken: Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.SetPasswordAsync("nobody@example.org", "pw", Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddAliasAsync("x@example.org", ["not an address"], Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddAliasAsync("x@example.org", ["x@example.org"], Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.AddAliasAsync("x@other.example", ["a@example.org"], Ct));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.RemoveAliasAsync("none@example.org", cancellationToken: Ct));
    }

    [Fact]
    public async Task AddUserWritesPostfixadminCompatibleRows()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("Carol@Example.org", "pw", "Carol C", 1_000_000, Ct);

        Assert.Equal("example.org/carol/", await f.QueryScalarAsync("SELECT maildir FROM mailbox WHERE username = 'carol@example.org'"));
        Assert.Equal("carol", await f.QueryScalarAsync("SELECT local_part FROM mailbox WHERE username = 'carol@example.org'"));
        Assert.Equal("carol@example.org", await f.QueryScalarAsync("SELECT goto FROM alias WHERE address = 'carol@example.org'"));
        Assert.Equal("2025-01-02 03:04:05", await f.QueryScalarAsync("SELECT created FROM mailbox WHERE username = 'carol@example.org'"));
        string hash = (string)(await f.QueryScalarAsync("SELECT password FROM mailbox WHERE username = 'carol@example.org'"))!;
        Assert.StartsWith("{BLF-CRYPT}$2y$04$", hash, StringComparison.Ordinal);

        UserInfo user = Assert.Single(await f.Admin.ListUsersAsync("example.org", Ct));
        Assert.Equal(new UserInfo("carol@example.org", "Carol C", "example.org/carol/", 1_000_000, true, "2025-01-02 03:04:05"), user);
        Assert.Empty(await f.Admin.ListAliasesAsync(cancellationToken: Ct));
        Assert.Equal(1, Assert.Single(await f.Admin.ListDomainsAsync(Ct)).Mailboxes);
    }

    [Fact]
    public async Task AliasTargetsMergeAndCanBeRemovedOneByOne()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddAliasAsync("team@example.org", ["a@example.org", "b@example.org"], Ct);
        await f.Admin.AddAliasAsync("team@example.org", ["B@example.org", "c@remote.example"], Ct);

        AliasInfo alias = Assert.Single(await f.Admin.ListAliasesAsync("example.org", Ct));
        Assert.Equal(["a@example.org", "b@example.org", "c@remote.example"], alias.Targets);

        await f.Admin.RemoveAliasAsync("team@example.org", "b@example.org", Ct);
        Assert.Equal(["a@example.org", "c@remote.example"], Assert.Single(await f.Admin.ListAliasesAsync(cancellationToken: Ct)).Targets);
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.RemoveAliasAsync("team@example.org", "b@example.org", Ct));

        await f.Admin.RemoveAliasAsync("team@example.org", cancellationToken: Ct);
        Assert.Empty(await f.Admin.ListAliasesAsync(cancellationToken: Ct));

        await f.Admin.AddAliasAsync("@example.org", ["a@example.org"], Ct);
        Assert.True(Assert.Single(await f.Admin.ListAliasesAsync(cancellationToken: Ct)).IsCatchAll);
    }

    [Fact]
    public async Task RemovingAUsersForwardingKeepsTheMailbox()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("a@example.org", "pw", cancellationToken: Ct);
        await f.Admin.AddAliasAsync("a@example.org", ["x@remote.example"], Ct);
        await f.Admin.RemoveAliasAsync("a@example.org", cancellationToken: Ct);
        Assert.Equal("a@example.org", await f.QueryScalarAsync("SELECT goto FROM alias WHERE address = 'a@example.org'"));
        Assert.Equal(["a@example.org"], (await f.ResolveAsync("a@example.org")).LocalMailboxes);
    }

    [Fact]
    public async Task RemoveDomainWithContentsNeedsForce()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("a@example.org", "pw", cancellationToken: Ct);
        await f.Admin.AddAliasAsync("b@example.org", ["a@example.org"], Ct);

        var error = await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.RemoveDomainAsync("example.org", cancellationToken: Ct));
        Assert.Contains("1 mailbox(es), 1 alias(es)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--force", error.Message, StringComparison.Ordinal);

        await f.Admin.RemoveDomainAsync("example.org", force: true, Ct);
        Assert.Empty(await f.Admin.ListDomainsAsync(Ct));
        Assert.Equal(0L, await f.QueryScalarAsync("SELECT COUNT(*) FROM mailbox"));
        Assert.Equal(0L, await f.QueryScalarAsync("SELECT COUNT(*) FROM alias"));
        Assert.False(await f.Directory.IsLocalDomainAsync("example.org", Ct));
    }

    [Fact]
    public async Task RemoveUserDeletesMailboxAndItsAlias()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("a@example.org", "pw", cancellationToken: Ct);
        await f.Admin.RemoveUserAsync("a@example.org", Ct);
        Assert.Empty(await f.Admin.ListUsersAsync(cancellationToken: Ct));
        Assert.Equal(0L, await f.QueryScalarAsync("SELECT COUNT(*) FROM alias"));
        await Assert.ThrowsAsync<DirectoryAdminException>(() => f.Admin.RemoveUserAsync("a@example.org", Ct));
    }

    [Fact]
    public async Task SchemaIsVersionedAndInitializeIsIdempotent()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.InitializeAsync(Ct);
        await f.CreateDatabase().InitializeAsync(Ct);
        // Each migration applied once, the latest last (2: Mailroom's sending-limit columns, 3: its spam_to_junk column).
        Assert.Equal(3, Sqlite.SqliteDirectoryDatabase.SchemaVersion);
        Assert.Equal(3L, await f.QueryScalarAsync("SELECT MAX(version) FROM mailroom_schema"));
        Assert.Equal(3L, await f.QueryScalarAsync("SELECT COUNT(*) FROM mailroom_schema"));
        Assert.Equal("wal", await f.QueryScalarAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task DatabaseFromANewerMailroomIsRefused()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.ExecuteSqlAsync("INSERT INTO mailroom_schema (version, applied) VALUES (99, 'later');");
        var error = await Assert.ThrowsAsync<DirectoryUnavailableException>(() => f.CreateDatabase().InitializeAsync(Ct));
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesFromOneProcessAreSeenByTheOther()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync();

        // The "CLI": its own database object (own connections) on the same file.
        var cli = new DirectoryAdmin(f.CreateDatabase(), f.Schemes, f.Time);
        await cli.AddDomainAsync("example.org", cancellationToken: Ct);
        Assert.True(await f.Directory.IsLocalDomainAsync("example.org", Ct));

        await cli.AddUserAsync("a@example.org", "first", cancellationToken: Ct);
        Assert.True((await f.Directory.AuthenticateAsync("a@example.org", "first", Ct)).Succeeded);

        // While the server holds a read transaction open, the CLI can still write (WAL).
        await using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={f.Database.DatabasePath}");
        await reader.OpenAsync(Ct);
        await using var readTransaction = reader.BeginTransaction(deferred: true);
        await using (var select = reader.CreateCommand())
        {
            select.Transaction = readTransaction;
            select.CommandText = "SELECT COUNT(*) FROM mailbox";
            Assert.Equal(1L, await select.ExecuteScalarAsync(Ct));
        }

        await cli.SetUserActiveAsync("a@example.org", false, Ct);
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("a@example.org")).Status);
        await f.Admin.SetUserActiveAsync("a@example.org", true, Ct);
        Assert.Equal(RecipientStatus.Resolved, (await f.ResolveAsync("a@example.org")).Status);
    }
}

using System.Data.Common;
using System.Globalization;
using Mailroom.Directory.MySql;
using Mailroom.Directory.Sql;
using Mailroom.Directory.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// SQLite lookups run on kept connections whose statements are prepared once: repeated lookups prepare nothing
/// new, yet still see every write and schema change made through other connections, and a failed lookup's
/// connection is closed rather than reused. MySQL lookups do the same on kept connections, with the statements
/// prepared on the server. PostgreSQL lookups are prepared automatically on the pooled connection unless the
/// connection string says otherwise.
/// </summary>
public sealed class PreparedStatementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DirectoryFixture> CreateWithUsersAsync()
    {
        DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", "Example", Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw-alice", "Alice", 5_000_000, Ct);
        await f.Admin.AddUserAsync("bob@example.org", "pw-bob", cancellationToken: Ct);
        return f;
    }

    [Fact]
    public async Task RepeatedLookupsOnOneConnectionPrepareEachStatementOnce()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(5_000_000, await f.Directory.GetQuotaBytesAsync("alice@example.org", Ct));
            Assert.Equal(0, await f.Directory.GetQuotaBytesAsync("nobody@example.org", Ct));
        }

        Assert.Equal((1, 1), (f.Database.IdleSessionCount, f.Database.PreparedStatementCount));

        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("bob@example.org")).LocalMailboxes);
        int afterFirstResolve = f.Database.PreparedStatementCount;
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(["alice@example.org"], (await f.ResolveAsync("Alice@Example.org")).LocalMailboxes);
            Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("carol@example.net")).Status);
            Assert.True((await f.Directory.AuthenticateAsync("bob@example.org", "pw-bob", Ct)).Succeeded);
        }

        Assert.Equal(1, f.Database.IdleSessionCount);
        Assert.Equal(afterFirstResolve + 1, f.Database.PreparedStatementCount);
    }

    [Fact]
    public async Task AKeptConnectionSeesWritesAndSchemaChangesFromOtherConnections()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("carol@example.org")).Status);

        await f.ExecuteSqlAsync("ALTER TABLE mailbox ADD COLUMN note TEXT NULL;");
        await f.Admin.AddUserAsync("carol@example.org", "pw-carol", cancellationToken: Ct);
        Assert.Equal(["carol@example.org"], (await f.ResolveAsync("carol@example.org")).LocalMailboxes);

        await f.ExecuteSqlAsync("UPDATE mailbox SET active = 0 WHERE username = 'carol@example.org';");
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("carol@example.org")).Status);
        Assert.Equal(1, f.Database.IdleSessionCount);
    }

    [Fact]
    public async Task ConcurrentLookupsEachGetTheirOwnConnectionAndAllAreKept()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();

        Task<long>[] lookups = [.. Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await f.Directory.GetQuotaBytesAsync(i % 2 == 0 ? "alice@example.org" : "bob@example.org", Ct), Ct))];
        long[] quotas = await Task.WhenAll(lookups);

        Assert.All(quotas.Where((_, i) => i % 2 == 0), q => Assert.Equal(5_000_000, q));
        Assert.All(quotas.Where((_, i) => i % 2 == 1), q => Assert.Equal(0, q));
        Assert.InRange(f.Database.IdleSessionCount, 1, 16);
        Assert.Equal(f.Database.IdleSessionCount, f.Database.PreparedStatementCount);
    }

    [Fact]
    public async Task AFailedLookupClosesItsConnectionInsteadOfKeepingIt()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        Assert.Equal(5_000_000, await f.Directory.GetQuotaBytesAsync("alice@example.org", Ct));
        Assert.Equal(1, f.Database.IdleSessionCount);

        await f.ExecuteSqlAsync("ALTER TABLE mailbox RENAME TO mailbox_gone;");
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await f.Directory.GetQuotaBytesAsync("alice@example.org", Ct));
        Assert.Equal(0, f.Database.IdleSessionCount);

        await f.ExecuteSqlAsync("ALTER TABLE mailbox_gone RENAME TO mailbox;");
        Assert.Equal(5_000_000, await f.Directory.GetQuotaBytesAsync("alice@example.org", Ct));
        Assert.Equal(1, f.Database.IdleSessionCount);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("Max Auto Prepare=0", false)]
    public async Task PostgresLookupsArePreparedOnThePooledConnectionUnlessTheConnectionStringTurnsItOff(string? setting, bool prepared)
    {
        await using SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(
            DirectoryProvider.PostgreSql,
            configure: options =>
            {
                options.ConnectionString += setting is null ? string.Empty : ";" + setting;
                options.CacheTtl = TimeSpan.Zero;
            });
        await f.Admin.AddDomainAsync("example.org", "Example", Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw-alice", "Alice", 5_000_000, Ct);

        // One lookup at a time: every one runs on the pool's single physical connection, as does the check below.
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(5_000_000, await f.Directory.GetQuotaBytesAsync("alice@example.org", Ct));
        }

        await using DbConnection connection = await f.Database.OpenAsync(Ct);
        await using DbCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%SELECT quota FROM mailbox%'";
        Assert.Equal(prepared, Convert.ToInt64(await count.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    /// <summary>A MySQL directory whose database the test can inspect (the fixture's own directory has a database of its own).</summary>
    private static async Task<(SqlDirectoryFixture Fixture, MySqlDirectoryDatabase Database, MySqlMailDirectory Directory)> CreateMySqlAsync()
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(DirectoryProvider.MySql);
        await f.Admin.AddDomainAsync("example.org", "Example", Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw-alice", "Alice", 5_000_000, Ct);
        DirectoryOptions options = f.CopyOptions();
        options.CacheTtl = TimeSpan.Zero;
        options.NegativeCacheTtl = TimeSpan.Zero;
        MySqlDirectoryDatabase database = f.Kept(new MySqlDirectoryDatabase(Microsoft.Extensions.Options.Options.Create(options)));
        var directory = new MySqlMailDirectory(database, f.Schemes, Microsoft.Extensions.Options.Options.Create(options), NullLogger<MySqlMailDirectory>.Instance, f.Time);
        return (f, database, directory);
    }

    private static async Task<long> SessionValueAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return Convert.ToInt64(reader.GetValue(reader.FieldCount - 1), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task MySqlLookupsRunOnAKeptConnectionWhoseStatementIsPreparedOnTheServerOnce()
    {
        var (f, database, directory) = await CreateMySqlAsync();
        await using SqlDirectoryFixture _ = f;

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(5_000_000, await directory.GetQuotaBytesAsync("alice@example.org", Ct));
            Assert.Equal(0, await directory.GetQuotaBytesAsync("nobody@example.org", Ct));
        }

        Assert.Equal((1, 1), (database.IdleSessionCount, database.PreparedStatementCount));
        LookupSession kept = await database.RentSessionAsync(Ct);
        Assert.Equal(1, await SessionValueAsync(kept.Connection, "SHOW SESSION STATUS LIKE 'Com_stmt_prepare'"));
        Assert.Equal(40, await SessionValueAsync(kept.Connection, "SHOW SESSION STATUS LIKE 'Com_stmt_execute'"));
        await database.ReturnSessionAsync(kept);
    }

    [Fact]
    public async Task AKeptMySqlConnectionSeesWritesMadeThroughOtherConnections()
    {
        var (f, database, directory) = await CreateMySqlAsync();
        await using SqlDirectoryFixture _ = f;
        Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("carol@example.org", Ct)).Status);

        await f.Admin.AddUserAsync("carol@example.org", "pw-carol", cancellationToken: Ct);
        Assert.Equal(["carol@example.org"], (await directory.ResolveRecipientAsync("carol@example.org", Ct)).LocalMailboxes);

        await f.ExecuteSqlAsync("UPDATE mailbox SET active = 0 WHERE username = 'carol@example.org'");
        Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("carol@example.org", Ct)).Status);
        Assert.Equal(1, database.IdleSessionCount);
    }

    [Fact]
    public async Task AKeptMySqlConnectionTheServerDroppedIsReplacedWithoutFailingTheLookup()
    {
        var (f, database, directory) = await CreateMySqlAsync();
        await using SqlDirectoryFixture _ = f;
        Assert.Equal(5_000_000, await directory.GetQuotaBytesAsync("alice@example.org", Ct));
        LookupSession kept = await database.RentSessionAsync(Ct);
        long connectionId = await SessionValueAsync(kept.Connection, "SELECT CONNECTION_ID()");
        await database.ReturnSessionAsync(kept);

        await f.ExecuteSqlAsync($"KILL {connectionId.ToString(CultureInfo.InvariantCulture)}");

        Assert.Equal(5_000_000, await directory.GetQuotaBytesAsync("alice@example.org", Ct));
        Assert.Equal(1, database.IdleSessionCount);
        kept = await database.RentSessionAsync(Ct);
        Assert.NotEqual(connectionId, await SessionValueAsync(kept.Connection, "SELECT CONNECTION_ID()"));
        await database.ReturnSessionAsync(kept);
    }
}

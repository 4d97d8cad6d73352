using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>Found results are reused for <c>CacheTtl</c>, "not found" ones for <c>NegativeCacheTtl</c>, then asked again.</summary>
public sealed class LookupCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(SqlDirectoryFixture Fixture, SqlMailDirectory Directory)> CreateAsync()
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(DirectoryProvider.Sqlite);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw", cancellationToken: Ct);
        DirectoryOptions options = f.CopyOptions();
        options.CacheTtl = TimeSpan.FromSeconds(10);
        options.NegativeCacheTtl = TimeSpan.FromSeconds(5);
        return (f, f.CreateDirectory(options));
    }

    [Fact]
    public async Task FoundRecipientIsReusedUntilTheTtlThenLookedUpAgain()
    {
        (SqlDirectoryFixture f, SqlMailDirectory directory) = await CreateAsync();
        await using (f)
        {
            Assert.Equal(RecipientStatus.Resolved, (await directory.ResolveRecipientAsync("alice@example.org", Ct)).Status);
            await f.ExecuteSqlAsync("DELETE FROM mailbox; DELETE FROM alias;");
            f.Time.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal(RecipientStatus.Resolved, (await directory.ResolveRecipientAsync("alice@example.org", Ct)).Status);
            f.Time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("alice@example.org", Ct)).Status);
        }
    }

    [Fact]
    public async Task UnknownRecipientIsRememberedForTheShorterNegativeTtl()
    {
        (SqlDirectoryFixture f, SqlMailDirectory directory) = await CreateAsync();
        await using (f)
        {
            Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("bob@example.org", Ct)).Status);
            Assert.False(await directory.IsLocalDomainAsync("example.net", Ct));
            await f.Admin.AddUserAsync("bob@example.org", "pw", cancellationToken: Ct);
            await f.Admin.AddDomainAsync("example.net", cancellationToken: Ct);
            Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("bob@example.org", Ct)).Status);
            f.Time.Advance(TimeSpan.FromSeconds(6));
            Assert.Equal(RecipientStatus.Resolved, (await directory.ResolveRecipientAsync("bob@example.org", Ct)).Status);
            Assert.True(await directory.IsLocalDomainAsync("example.net", Ct));
        }
    }

    [Fact]
    public void CachesDefaultOffForSqliteAndShortForDatabaseServers()
    {
        Assert.Equal(TimeSpan.Zero, new DirectoryOptions().EffectiveCacheTtl);
        var server = new DirectoryOptions { Provider = DirectoryProvider.MySql };
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (server.EffectiveCacheTtl, server.EffectiveNegativeCacheTtl));
        Assert.Equal(TimeSpan.FromSeconds(1), new DirectoryOptions { Provider = DirectoryProvider.PostgreSql, CacheTtl = TimeSpan.FromSeconds(1) }.EffectiveCacheTtl);
    }
}

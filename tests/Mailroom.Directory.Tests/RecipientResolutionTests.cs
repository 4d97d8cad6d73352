using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests;

public sealed class RecipientResolutionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DirectoryFixture> CreateWithUsersAsync()
    {
        DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw-alice", cancellationToken: Ct);
        await f.Admin.AddUserAsync("bob@example.org", "pw-bob", cancellationToken: Ct);
        return f;
    }

    [Fact]
    public async Task ActiveMailboxResolvesToItselfCaseInsensitively()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        RecipientResolution result = await f.ResolveAsync("Alice@EXAMPLE.org");
        Assert.Equal(RecipientStatus.Resolved, result.Status);
        Assert.Equal(["alice@example.org"], result.LocalMailboxes);
        Assert.Empty(result.ExternalAddresses);
    }

    [Fact]
    public async Task UnknownUserInLocalDomainIsUnknownAndForeignDomainIsNotLocal()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("nobody@example.org")).Status);
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("alice@example.net")).Status);
        Assert.True(await f.Directory.IsLocalDomainAsync("EXAMPLE.ORG", Ct));
        Assert.False(await f.Directory.IsLocalDomainAsync("example.net", Ct));
    }

    [Fact]
    public async Task DisabledUserIsUnknownAndReenabledUserResolves()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.SetUserActiveAsync("alice@example.org", false, Ct);
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("alice@example.org")).Status);
        await f.Admin.SetUserActiveAsync("alice@example.org", true, Ct);
        Assert.Equal(RecipientStatus.Resolved, (await f.ResolveAsync("alice@example.org")).Status);
    }

    [Fact]
    public async Task InactiveDomainIsNotLocalAndNothingInItResolves()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.ExecuteSqlAsync("UPDATE domain SET active = 0 WHERE domain = 'example.org';");
        Assert.False(await f.Directory.IsLocalDomainAsync("example.org", Ct));
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("alice@example.org")).Status);
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "pw-alice", Ct)).Succeeded);
    }

    [Fact]
    public async Task CatchAllAppliesOnlyWhenNoExactAddressMatches()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasAsync("@example.org", ["bob@example.org"], Ct);
        await f.Admin.AddAliasAsync("sales@example.org", ["alice@example.org"], Ct);

        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("random@example.org")).LocalMailboxes);
        Assert.Equal(["alice@example.org"], (await f.ResolveAsync("alice@example.org")).LocalMailboxes);
        Assert.Equal(["alice@example.org"], (await f.ResolveAsync("sales@example.org")).LocalMailboxes);
    }

    [Fact]
    public async Task MultiTargetAliasWithChainReachesEveryMailboxAndExternalAddress()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasAsync("team@example.org", ["alice@example.org", "staff@example.org"], Ct);
        await f.Admin.AddAliasAsync("staff@example.org", ["bob@example.org", "Partner@Remote.example"], Ct);

        RecipientResolution result = await f.ResolveAsync("team@example.org");
        Assert.Equal(RecipientStatus.Resolved, result.Status);
        Assert.Equal(["alice@example.org", "bob@example.org"], result.LocalMailboxes);
        Assert.Equal(["partner@remote.example"], result.ExternalAddresses);
    }

    [Fact]
    public async Task MailboxWithForwardingKeepsACopyThroughItsSelfAlias()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasAsync("alice@example.org", ["alice@elsewhere.example"], Ct);
        Assert.Equal("alice@example.org,alice@elsewhere.example", await f.QueryScalarAsync("SELECT goto FROM alias WHERE address = 'alice@example.org'"));

        RecipientResolution result = await f.ResolveAsync("alice@example.org");
        Assert.Equal(["alice@example.org"], result.LocalMailboxes);
        Assert.Equal(["alice@elsewhere.example"], result.ExternalAddresses);

        // postfixadmin's "forward only": the goto list without the mailbox itself.
        await f.ExecuteSqlAsync("UPDATE alias SET goto = 'bob@example.org' WHERE address = 'alice@example.org';");
        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("alice@example.org")).LocalMailboxes);
    }

    [Fact]
    public async Task AliasLoopTerminatesAndKeepsTheReachableMailboxes()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasAsync("a@example.org", ["b@example.org"], Ct);
        await f.Admin.AddAliasAsync("b@example.org", ["a@example.org", "alice@example.org"], Ct);
        await f.Admin.AddAliasAsync("loop1@example.org", ["loop2@example.org"], Ct);
        await f.Admin.AddAliasAsync("loop2@example.org", ["loop1@example.org"], Ct);

        Assert.Equal(["alice@example.org"], (await f.ResolveAsync("a@example.org")).LocalMailboxes);
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("loop1@example.org")).Status);
    }

    [Fact]
    public async Task ChainLongerThanTheDepthLimitIsCut()
    {
        await using DirectoryFixture f = await DirectoryFixture.CreateAsync(o => o.AliasMaxDepth = 3);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("end@example.org", "pw", cancellationToken: Ct);
        for (int i = 0; i < 5; i++)
        {
            string next = i == 4 ? "end@example.org" : $"hop{i + 1}@example.org";
            await f.Admin.AddAliasAsync($"hop{i}@example.org", [next], Ct);
        }

        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("hop0@example.org")).Status);
        Assert.Equal(["end@example.org"], (await f.ResolveAsync("hop2@example.org")).LocalMailboxes);
    }

    [Fact]
    public async Task AliasDomainMapsToTheTargetDomain()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasDomainAsync("example.net", "example.org", Ct);
        await f.Admin.AddAliasAsync("@example.org", ["bob@example.org"], Ct);

        Assert.True(await f.Directory.IsLocalDomainAsync("example.net", Ct));
        Assert.Equal(["alice@example.org"], (await f.ResolveAsync("alice@example.net")).LocalMailboxes);
        Assert.Equal(["bob@example.org"], (await f.ResolveAsync("whoever@example.net")).LocalMailboxes);

        // An alias of the target's inactive domain makes the alias domain not local either.
        await f.ExecuteSqlAsync("UPDATE domain SET active = 0 WHERE domain = 'example.org';");
        Assert.Equal(RecipientStatus.NotLocal, (await f.ResolveAsync("alice@example.net")).Status);
    }

    [Fact]
    public async Task InactiveAliasIsSkippedAndUnknownCatchAllTargetYieldsNothing()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        await f.Admin.AddAliasAsync("info@example.org", ["alice@example.org"], Ct);
        await f.ExecuteSqlAsync("UPDATE alias SET active = 0 WHERE address = 'info@example.org';");
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("info@example.org")).Status);

        await f.Admin.AddAliasAsync("ghost@example.org", ["removed@example.org"], Ct);
        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("ghost@example.org")).Status);
    }

    [Fact]
    public async Task CorruptDatabaseFileMakesTheDirectoryUnavailable()
    {
        await using DirectoryFixture f = await CreateWithUsersAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in System.IO.Directory.GetFiles(Path.GetDirectoryName(f.Database.DatabasePath)!))
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(f.Database.DatabasePath, new string('x', 4096), Ct);
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await f.ResolveAsync("alice@example.org"));
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await f.Directory.AuthenticateAsync("alice@example.org", "pw-alice", Ct));
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await f.Directory.IsLocalDomainAsync("example.org", Ct));
    }
}

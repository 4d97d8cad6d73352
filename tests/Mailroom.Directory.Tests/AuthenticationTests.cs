using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests;

public sealed class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DirectoryFixture> CreateAsync()
    {
        DirectoryFixture f = await DirectoryFixture.CreateAsync();
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("alice@example.org", "correct horse", cancellationToken: Ct);
        return f;
    }

    [Fact]
    public async Task RightPasswordSucceedsWithCanonicalNameAndWrongOneFails()
    {
        await using DirectoryFixture f = await CreateAsync();
        AuthenticationResult ok = await f.Directory.AuthenticateAsync("ALICE@Example.Org", "correct horse", Ct);
        Assert.True(ok.Succeeded);
        Assert.Equal("alice@example.org", ok.UserName);
        Assert.Equal(AuthenticationResult.Failed, await f.Directory.AuthenticateAsync("alice@example.org", "Correct horse", Ct));
        Assert.Equal(AuthenticationResult.Failed, await f.Directory.AuthenticateAsync("nobody@example.org", "correct horse", Ct));
        Assert.Equal(AuthenticationResult.Failed, await f.Directory.AuthenticateAsync("alice", "correct horse", Ct));
    }

    [Fact]
    public async Task DisabledUserCannotLogInEvenWithACachedVerification()
    {
        await using DirectoryFixture f = await CreateAsync();
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        await f.Admin.SetUserActiveAsync("alice@example.org", false, Ct);
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
    }

    [Fact]
    public async Task PostfixadminRowsWithOtherSchemesAuthenticate()
    {
        await using DirectoryFixture f = await CreateAsync();
        await f.ExecuteSqlAsync(
            """
            INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, active)
            VALUES ('bob@example.org', '$1$tSI0pf8.$84AfV1cfElMlzV/mh3pUS1', '', 'example.org/bob/', 0, 'bob', 'example.org', 1);
            """);
        Assert.True((await f.Directory.AuthenticateAsync("bob@example.org", "secret", Ct)).Succeeded);
    }

    [Fact]
    public async Task SuccessfulLoginIsCachedAndLoginsAfterTheTtlStillSucceed()
    {
        await using DirectoryFixture f = await CreateAsync();
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        Assert.Equal(1, f.Directory.AuthCacheCount);
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        Assert.Equal(1, f.Directory.AuthCacheCount);

        f.Time.Advance(f.Options.AuthCacheTtl + TimeSpan.FromSeconds(1));
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        Assert.Equal(1, f.Directory.AuthCacheCount);
    }

    [Fact]
    public async Task ChangedPasswordMissesTheCache()
    {
        await using DirectoryFixture f = await CreateAsync();
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        await f.Admin.SetPasswordAsync("alice@example.org", "battery staple", Ct);

        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "correct horse", Ct)).Succeeded);
        Assert.True((await f.Directory.AuthenticateAsync("alice@example.org", "battery staple", Ct)).Succeeded);
    }

    [Fact]
    public async Task WrongPasswordsAreNeverCached()
    {
        await using DirectoryFixture f = await CreateAsync();
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "guess", Ct)).Succeeded);
        Assert.False((await f.Directory.AuthenticateAsync("alice@example.org", "guess", Ct)).Succeeded);
        Assert.Equal(0, f.Directory.AuthCacheCount);
    }
}

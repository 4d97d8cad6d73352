using Mailroom.Directory.Tests.Support;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// Another schema than postfixadmin's, served through <c>Directory:Queries:*</c> (as Dovecot's <c>password_query</c>
/// and Postfix's <c>virtual_*_maps</c> would): parameters bound, never spliced; bad queries refused at start-up
/// with one line naming the key.
/// </summary>
public sealed class CustomQueryTests
{
    private const string Schema = """
        CREATE TABLE virtual_domains (name varchar(100) NOT NULL PRIMARY KEY);
        CREATE TABLE domain_aliases (alias varchar(100) NOT NULL PRIMARY KEY, target varchar(100) NOT NULL);
        CREATE TABLE users (email varchar(200) NOT NULL PRIMARY KEY, pw varchar(200) NOT NULL, quota_mb integer NOT NULL);
        CREATE TABLE forwardings (source varchar(200) NOT NULL, destination varchar(200) NOT NULL);
        INSERT INTO virtual_domains VALUES ('example.org');
        INSERT INTO domain_aliases VALUES ('example.net', 'example.org');
        INSERT INTO users VALUES ('alice@example.org', '{PLAIN}alice-pw', 2), ('bob@example.org', '{SSHA}4bOQzl1oKl1HvyXQJGjixxPKAvOleZFm', 0);
        INSERT INTO forwardings VALUES ('team@example.org', 'alice@example.org'), ('team@example.org', 'bob@example.org');
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DirectoryProvider> Providers => new() { DirectoryProvider.Sqlite, DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    private static void UseCustomSchema(DirectoryOptions options)
    {
        options.Queries.Domain = "SELECT name FROM virtual_domains WHERE name = @domain";
        options.Queries.AliasDomain = "SELECT target FROM domain_aliases WHERE alias = @domain";
        options.Queries.Mailbox = "SELECT email FROM users WHERE email = @user";
        options.Queries.Password = "SELECT pw FROM users WHERE email = @user";
        options.Queries.Alias = "SELECT destination FROM forwardings WHERE source = @address";
        options.Queries.Quota = "SELECT quota_mb * 1048576 FROM users WHERE email = @user";
    }

    private static async Task<(SqlDirectoryFixture Fixture, SqlMailDirectory Directory)> CreateAsync(DirectoryProvider provider, Action<DirectoryOptions>? configure = null)
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider, createSchema: false);
        await f.ExecuteSqlAsync(Schema);
        DirectoryOptions options = f.CopyOptions();
        UseCustomSchema(options);
        configure?.Invoke(options);
        return (f, f.CreateDirectory(options));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CustomSchemaIsServedThroughTheQueries(DirectoryProvider provider)
    {
        (SqlDirectoryFixture f, SqlMailDirectory directory) = await CreateAsync(provider);
        await using (f)
        {
            await directory.ValidateQueriesAsync(Ct);
            Assert.True((await directory.AuthenticateAsync("alice@example.org", "alice-pw", Ct)).Succeeded);
            Assert.True((await directory.AuthenticateAsync("bob@example.org", "secret", Ct)).Succeeded);
            Assert.False((await directory.AuthenticateAsync("alice@example.org", "' OR '1'='1", Ct)).Succeeded);
            Assert.Equal(["alice@example.org", "bob@example.org"], (await directory.ResolveRecipientAsync("team@example.org", Ct)).LocalMailboxes);
            Assert.Equal(["bob@example.org"], (await directory.ResolveRecipientAsync("bob@example.net", Ct)).LocalMailboxes);
            Assert.Equal(RecipientStatus.Unknown, (await directory.ResolveRecipientAsync("\"x'; DROP TABLE users; --\"@example.org", Ct)).Status);
            Assert.Equal(2L * 1048576, await directory.GetQuotaBytesAsync("alice@example.org", Ct));
            Assert.True((await directory.AuthenticateAsync("alice@example.org", "alice-pw", Ct)).Succeeded);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task QueryTheDatabaseRejectsStopsStartUpNamingTheKey(DirectoryProvider provider)
    {
        (SqlDirectoryFixture f, SqlMailDirectory directory) = await CreateAsync(provider, o =>
        {
            o.Queries.Password = "SELEC pw FROM users WHERE email = @user";
            o.Queries.Quota = "SELECT quota FROM no_such_table WHERE email = @user";
        });
        await using (f)
        {
            OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => directory.ValidateQueriesAsync(Ct));
            Assert.Equal(2, error.Failures.Count());
            Assert.StartsWith("Directory:Queries:Password: ", error.Failures.First(), StringComparison.Ordinal);
            Assert.StartsWith("Directory:Queries:Quota: ", error.Failures.Last(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownParameterIsRefusedBeforeTheDatabaseIsAsked()
    {
        (SqlDirectoryFixture f, SqlMailDirectory directory) = await CreateAsync(DirectoryProvider.Sqlite, o =>
            o.Queries.Mailbox = "SELECT email FROM users WHERE email = @usr AND note <> 'x@y' AND @@version IS NOT NULL");
        await using (f)
        {
            OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => directory.ValidateQueriesAsync(Ct));
            Assert.Equal(
                "Directory:Queries:Mailbox: unknown parameter @usr (use @user, @address, @local_part or @domain)",
                Assert.Single(error.Failures));
        }
    }
}

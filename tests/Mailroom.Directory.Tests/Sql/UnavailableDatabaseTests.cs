using Mailroom.Directory.Tests.Support;
using MySqlConnector;
using Npgsql;

namespace Mailroom.Directory.Tests.Sql;

/// <summary>
/// The database goes away (connections refused) or hangs (accepted, never answered) mid-test, through a loopback
/// relay: lookups fail with <see cref="DirectoryUnavailableException"/> within the configured bounds — never an
/// "unknown user" — and work again by themselves once it is back.
/// </summary>
public sealed class UnavailableDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DirectoryProvider> Servers => new() { DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    private static (string Host, int Port) ServerOf(DirectoryProvider provider, string connectionString)
    {
        if (provider == DirectoryProvider.MySql)
        {
            var mysql = new MySqlConnectionStringBuilder(connectionString);
            return (mysql.Server, (int)mysql.Port);
        }

        var pg = new NpgsqlConnectionStringBuilder(connectionString);
        return (pg.Host!, pg.Port);
    }

    private static string Through(DirectoryProvider provider, string connectionString, int port) => provider == DirectoryProvider.MySql
        ? new MySqlConnectionStringBuilder(connectionString) { Server = "127.0.0.1", Port = (uint)port }.ConnectionString
        : new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task StoppedDatabaseIsUnavailableAndServiceResumesByItself(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("alice@example.org", "pw", cancellationToken: Ct);
        (string host, int port) = ServerOf(provider, f.ConnectionString!);
        await using var proxy = new TcpProxy(host, port);
        DirectoryOptions options = f.CopyOptions();
        options.ConnectionString = Through(provider, f.ConnectionString!, proxy.Port);
        options.CacheTtl = TimeSpan.Zero;
        options.NegativeCacheTtl = TimeSpan.Zero;
        SqlMailDirectory directory = f.CreateDirectory(options);

        Assert.Equal(RecipientStatus.Resolved, (await directory.ResolveRecipientAsync("alice@example.org", Ct)).Status);
        proxy.Refuse();
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await directory.ResolveRecipientAsync("alice@example.org", Ct));
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await directory.AuthenticateAsync("alice@example.org", "pw", Ct));
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await directory.GetQuotaBytesAsync("alice@example.org", Ct));

        proxy.Restore();
        Assert.Equal(RecipientStatus.Resolved, (await directory.ResolveRecipientAsync("alice@example.org", Ct)).Status);
        Assert.True((await directory.AuthenticateAsync("alice@example.org", "pw", Ct)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task HungDatabaseTimesOutAsUnavailable(DirectoryProvider provider)
    {
        await using SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        (string host, int port) = ServerOf(provider, f.ConnectionString!);
        await using var proxy = new TcpProxy(host, port);
        DirectoryOptions options = f.CopyOptions();
        options.ConnectionString = Through(provider, f.ConnectionString!, proxy.Port);
        options.ConnectTimeout = TimeSpan.FromMilliseconds(200);
        options.CommandTimeout = TimeSpan.FromSeconds(1);
        SqlMailDirectory directory = f.CreateDirectory(options);

        proxy.BlackHole();
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await directory.IsLocalDomainAsync("example.org", Ct));
        proxy.Restore();
        Assert.True(await AnsweredWithinAttemptsAsync(() => directory.IsLocalDomainAsync("example.org", Ct).AsTask(), 20));
    }

    /// <summary>
    /// The first answer within <paramref name="attempts"/> tries: on a loaded machine a fresh connection can take longer than
    /// the 200 ms the hung-server test allows, which is a slow machine and not a directory that stayed broken.
    /// </summary>
    private static async Task<bool> AnsweredWithinAttemptsAsync(Func<Task<bool>> lookup, int attempts)
    {
        for (int i = 1; ; i++)
        {
            try
            {
                return await lookup();
            }
            catch (DirectoryUnavailableException) when (i < attempts)
            {
            }
        }
    }

    [Fact]
    public async Task UnreachableServerAtStartIsToleratedByQueryValidation()
    {
        await using var proxy = new TcpProxy("127.0.0.1", 9);
        proxy.Refuse();
        await using SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(DirectoryProvider.Sqlite);
        DirectoryOptions options = TestOptions.Create();
        options.Provider = DirectoryProvider.PostgreSql;
        options.ConnectionString = $"Host=127.0.0.1;Port={proxy.Port};Username=nobody;Password=x;Database=none";
        options.Queries.Password = "SELECT password FROM mailbox WHERE username = @user";
        SqlMailDirectory directory = f.CreateDirectory(options);

        await directory.ValidateQueriesAsync(Ct);
        await Assert.ThrowsAsync<DirectoryUnavailableException>(async () => await directory.AuthenticateAsync("a@example.org", "pw", Ct));
    }
}

using System.Data.Common;
using MySqlConnector;
using Npgsql;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// A private directory database for one test on the MariaDB or PostgreSQL server named by <c>MAILROOM_TEST_MYSQL</c>
/// / <c>MAILROOM_TEST_POSTGRES</c> (set by <c>.ci/run</c>), reached by the server through a <see cref="TcpProxy"/>
/// the test can cut. Without the variable the test is skipped, or fails when <c>MAILROOM_REQUIRE_EXTERNAL=1</c>.
/// </summary>
internal sealed class ExternalDirectoryDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;
    private readonly string _name;

    private ExternalDirectoryDatabase(string provider, string serverConnectionString, string name, string connectionString, TcpProxy relay, string relayedConnectionString)
    {
        Provider = provider;
        _serverConnectionString = serverConnectionString;
        _name = name;
        ConnectionString = connectionString;
        Relay = relay;
        RelayedConnectionString = relayedConnectionString;
    }

    /// <summary><c>MySql</c> or <c>PostgreSql</c>, as <c>Directory:Provider</c> spells it.</summary>
    public string Provider { get; }

    /// <summary>Direct to the private database (admin verbs, test SQL).</summary>
    public string ConnectionString { get; }

    /// <summary>Through <see cref="Relay"/> (the server).</summary>
    public string RelayedConnectionString { get; }

    public TcpProxy Relay { get; }

    /// <summary>
    /// The <c>--set</c> options that point Mailroom at the database directly, with timeouts a loaded CI machine meets
    /// (a PostgreSQL backend starting under load took longer than the 3 s default).
    /// </summary>
    public string[] AdminArguments =>
    [
        "--set", $"Directory:Provider={Provider}", "--set", $"Directory:ConnectionString={ConnectionString}",
        "--set", "Directory:ConnectTimeout=00:00:30", "--set", "Directory:CommandTimeout=00:00:30",
    ];

    /// <summary>
    /// Server settings: the relayed database, no lookup cache (so a cut is seen at once). The cut is a refused connection,
    /// seen at once whatever the timeouts, so they are long enough for a loaded machine.
    /// </summary>
    public string[] ServerSettings =>
    [
        $"Directory:Provider={Provider}",
        $"Directory:ConnectionString={RelayedConnectionString}",
        "Directory:CacheTtl=00:00:00",
        "Directory:NegativeCacheTtl=00:00:00",
        "Directory:ConnectTimeout=00:00:30",
        "Directory:CommandTimeout=00:00:30",
    ];

    public static async Task<ExternalDirectoryDatabase> CreateAsync(string provider)
    {
        bool mysql = provider == "MySql";
        string variable = mysql ? "MAILROOM_TEST_MYSQL" : "MAILROOM_TEST_POSTGRES";
        string? server = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            string reason = $"{variable} is not set (a connection string to a test {(mysql ? "MariaDB" : "PostgreSQL")} server; .ci/run sets it)";
            if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
            {
                Assert.Fail(reason + " and MAILROOM_REQUIRE_EXTERNAL=1 requires it");
            }

            Assert.Skip(reason);
        }

        string name = "mailroom_i" + Guid.NewGuid().ToString("N")[..12];
        if (mysql)
        {
            await ExecuteAsync(true, server!, $"CREATE DATABASE `{name}`");
            var direct = new MySqlConnectionStringBuilder(server) { Database = name };
            var relay = new TcpProxy(direct.Server, (int)direct.Port);
            var relayed = new MySqlConnectionStringBuilder(direct.ConnectionString) { Server = "127.0.0.1", Port = (uint)relay.Port };
            return new ExternalDirectoryDatabase(provider, server!, name, direct.ConnectionString, relay, relayed.ConnectionString);
        }

        await ExecuteAsync(false, server!, $"CREATE SCHEMA \"{name}\"");
        var pg = new NpgsqlConnectionStringBuilder(server) { SearchPath = name };
        var pgRelay = new TcpProxy(pg.Host!, pg.Port);
        var pgRelayed = new NpgsqlConnectionStringBuilder(pg.ConnectionString) { Host = "127.0.0.1", Port = pgRelay.Port };
        return new ExternalDirectoryDatabase(provider, server!, name, pg.ConnectionString, pgRelay, pgRelayed.ConnectionString);
    }

    public Task ExecuteSqlAsync(string sql) => ExecuteAsync(Provider == "MySql", ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        if (Provider == "MySql")
        {
            MySqlConnection.ClearAllPools();
            await ExecuteAsync(true, _serverConnectionString, $"DROP DATABASE IF EXISTS `{_name}`");
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(false, _serverConnectionString, $"DROP SCHEMA IF EXISTS \"{_name}\" CASCADE");
        }
    }

    private static async Task ExecuteAsync(bool mysql, string connectionString, string sql)
    {
        await using DbConnection connection = mysql ? new MySqlConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

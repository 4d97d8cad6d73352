using System.Data.Common;
using MySqlConnector;
using Npgsql;

namespace Mailroom.Directory.Tests.Support;

/// <summary>
/// A private database on the MariaDB or PostgreSQL server named by <c>MAILROOM_TEST_MYSQL</c> /
/// <c>MAILROOM_TEST_POSTGRES</c> (set by <c>.ci/run</c>): MySQL gets a new database <c>mailroom_t…</c>, PostgreSQL a
/// new schema in the test database. Dropped on dispose. Without the variable the test is skipped, or fails when
/// <c>MAILROOM_REQUIRE_EXTERNAL=1</c>.
/// </summary>
internal sealed class ExternalDatabase : IAsyncDisposable
{
    public const string MySqlVariable = "MAILROOM_TEST_MYSQL";
    public const string PostgresVariable = "MAILROOM_TEST_POSTGRES";

    private readonly string _adminConnectionString;
    private readonly string _name;

    private ExternalDatabase(DirectoryProvider provider, string adminConnectionString, string name, string connectionString)
    {
        Provider = provider;
        _adminConnectionString = adminConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public DirectoryProvider Provider { get; }

    /// <summary>Connects to the private database (MySQL) or with the private schema first on the search path (PostgreSQL).</summary>
    public string ConnectionString { get; }

    /// <summary>The server's base connection string, or ends the test (skip, or failure when external tools are required).</summary>
    public static string RequireServer(DirectoryProvider provider)
    {
        string variable = provider == DirectoryProvider.MySql ? MySqlVariable : PostgresVariable;
        string? value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        string reason = $"{variable} is not set (a connection string to a test {(provider == DirectoryProvider.MySql ? "MariaDB" : "PostgreSQL")} server; .ci/run sets it)";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(reason + " and MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
        return string.Empty;
    }

    public static async Task<ExternalDatabase> CreateAsync(DirectoryProvider provider)
    {
        string server = RequireServer(provider);
        string name = "mailroom_t" + Guid.NewGuid().ToString("N")[..12];
        if (provider == DirectoryProvider.MySql)
        {
            await ExecuteAsync(provider, server, $"CREATE DATABASE `{name}`");
            var builder = new MySqlConnectionStringBuilder(server) { Database = name };
            return new ExternalDatabase(provider, server, name, builder.ConnectionString);
        }

        await ExecuteAsync(provider, server, $"CREATE SCHEMA \"{name}\"");
        var pg = new NpgsqlConnectionStringBuilder(server) { SearchPath = name };
        return new ExternalDatabase(provider, server, name, pg.ConnectionString);
    }

    /// <summary>Runs SQL in the private database, as postfixadmin or an administrator's script would.</summary>
    public Task ExecuteSqlAsync(string sql) => ExecuteAsync(Provider, ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        if (Provider == DirectoryProvider.MySql)
        {
            MySqlConnection.ClearAllPools();
            await ExecuteAsync(Provider, _adminConnectionString, $"DROP DATABASE IF EXISTS `{_name}`");
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(Provider, _adminConnectionString, $"DROP SCHEMA IF EXISTS \"{_name}\" CASCADE");
        }
    }

    private static async Task ExecuteAsync(DirectoryProvider provider, string connectionString, string sql)
    {
        await using DbConnection connection = provider == DirectoryProvider.MySql
            ? new MySqlConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

using Mailroom.Directory.Admin;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Directory.Tests.Support;

/// <summary>A fresh database in a temporary directory, with a directory, an admin and raw SQL access.</summary>
internal sealed class DirectoryFixture : IAsyncDisposable
{
    private readonly DirectoryInfo _root;

    private DirectoryFixture(DirectoryInfo root, DirectoryOptions options)
    {
        _root = root;
        Options = options;
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Database = CreateDatabase();
        Schemes = new PasswordSchemes(Microsoft.Extensions.Options.Options.Create(options), NullLogger<PasswordSchemes>.Instance);
        Directory = new SqliteMailDirectory(Database, Schemes, Microsoft.Extensions.Options.Options.Create(options), NullLogger<SqliteMailDirectory>.Instance, Time);
        Admin = new DirectoryAdmin(Database, Schemes, Time);
    }

    public DirectoryOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public SqliteDirectoryDatabase Database { get; }

    public PasswordSchemes Schemes { get; }

    public SqliteMailDirectory Directory { get; }

    public DirectoryAdmin Admin { get; }

    public string RootPath => _root.FullName;

    public static async Task<DirectoryFixture> CreateAsync(Action<DirectoryOptions>? configure = null)
    {
        DirectoryInfo root = System.IO.Directory.CreateTempSubdirectory("mailroom-directory-");
        DirectoryOptions options = TestOptions.Create(Path.Combine(root.FullName, "data", "mailroom.db"));
        configure?.Invoke(options);
        var fixture = new DirectoryFixture(root, options);
        await fixture.Database.InitializeAsync(TestContext.Current.CancellationToken);
        return fixture;
    }

    /// <summary>A second, independent database object on the same file (another process, e.g. the CLI).</summary>
    public SqliteDirectoryDatabase CreateDatabase() =>
        new(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SqliteDirectoryDatabase>.Instance);

    /// <summary>Runs SQL directly, as postfixadmin or an administrator's script would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<object?> QueryScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask<RecipientResolution> ResolveAsync(string address) =>
        Directory.ResolveRecipientAsync(address, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        Database.Dispose();
        SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

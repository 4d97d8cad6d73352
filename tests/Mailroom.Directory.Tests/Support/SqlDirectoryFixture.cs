using Mailroom.Directory.Admin;
using Mailroom.Directory.MySql;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Postgres;
using Mailroom.Directory.Sql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Directory.Tests.Support;

/// <summary>
/// The same directory and admin on any of the three backends: SQLite in a temporary file, MySQL and PostgreSQL
/// in a private database/schema (<see cref="ExternalDatabase"/>). The schema is created (or not) by the caller.
/// </summary>
internal sealed class SqlDirectoryFixture : IAsyncDisposable
{
    private readonly ExternalDatabase? _external;
    private readonly DirectoryFixture? _sqlite;

    // MySQL databases keep their lookup connections open (KeptLookupSessions): closed with the fixture.
    private readonly List<IDisposable> _keptConnections = [];

    private SqlDirectoryFixture(DirectoryOptions options, ExternalDatabase? external, DirectoryFixture? sqlite)
    {
        Options = options;
        _external = external;
        _sqlite = sqlite;
        Time = sqlite?.Time ?? new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Schemes = new PasswordSchemes(Microsoft.Extensions.Options.Options.Create(options), NullLogger<PasswordSchemes>.Instance);
        Database = CreateDatabase(options);
        Directory = CreateDirectory(options);
        Admin = new DirectoryAdmin(Database, Schemes, Time);
    }

    public DirectoryOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public PasswordSchemes Schemes { get; }

    public DirectoryDatabase Database { get; }

    public SqlMailDirectory Directory { get; }

    public DirectoryAdmin Admin { get; }

    public string? ConnectionString => _external?.ConnectionString;

    /// <summary>
    /// A fresh database on <paramref name="provider"/>; <paramref name="createSchema"/> creates postfixadmin's tables
    /// through <see cref="DirectoryDatabase.CreateSchemaAsync"/> (SQLite always has them).
    /// </summary>
    public static async Task<SqlDirectoryFixture> CreateAsync(DirectoryProvider provider, bool createSchema = true, Action<DirectoryOptions>? configure = null)
    {
        if (provider == DirectoryProvider.Sqlite)
        {
            DirectoryFixture sqlite = await DirectoryFixture.CreateAsync(configure);
            return new SqlDirectoryFixture(sqlite.Options, null, sqlite);
        }

        ExternalDatabase external = await ExternalDatabase.CreateAsync(provider);
        DirectoryOptions options = TestOptions.Create();
        options.Provider = provider;
        options.ConnectionString = external.ConnectionString;
        configure?.Invoke(options);
        var fixture = new SqlDirectoryFixture(options, external, null);
        if (createSchema)
        {
            await fixture.Database.CreateSchemaAsync(TestContext.Current.CancellationToken);
        }

        return fixture;
    }

    /// <summary>Another directory on the same database with other options (custom queries, caches, a proxy's address).</summary>
    public SqlMailDirectory CreateDirectory(DirectoryOptions options) => options.Provider switch
    {
        DirectoryProvider.MySql => new MySqlMailDirectory(Kept(new MySqlDirectoryDatabase(Wrap(options))), Schemes, Wrap(options), NullLogger<MySqlMailDirectory>.Instance, Time),
        DirectoryProvider.PostgreSql => new PostgresMailDirectory(new PostgresDirectoryDatabase(Wrap(options)), Schemes, Wrap(options), NullLogger<PostgresMailDirectory>.Instance, Time),
        _ => new SqliteMailDirectory(_sqlite!.CreateDatabase(), Schemes, Wrap(options), NullLogger<SqliteMailDirectory>.Instance, Time),
    };

    /// <summary>A copy of <see cref="Options"/> for <see cref="CreateDirectory"/>.</summary>
    public DirectoryOptions CopyOptions() => new()
    {
        Provider = Options.Provider,
        ConnectionString = Options.ConnectionString,
        DatabasePath = Options.DatabasePath,
        BcryptCost = Options.BcryptCost,
    };

    public Task ExecuteSqlAsync(string sql) => _external is not null ? _external.ExecuteSqlAsync(sql) : _sqlite!.ExecuteSqlAsync(sql);

    public ValueTask<RecipientResolution> ResolveAsync(string address) =>
        Directory.ResolveRecipientAsync(address, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable kept in _keptConnections)
        {
            kept.Dispose();
        }

        if (_external is not null)
        {
            await _external.DisposeAsync();
        }

        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }
    }

    private static Microsoft.Extensions.Options.IOptions<DirectoryOptions> Wrap(DirectoryOptions options) => Microsoft.Extensions.Options.Options.Create(options);

    private DirectoryDatabase CreateDatabase(DirectoryOptions options) => options.Provider switch
    {
        DirectoryProvider.MySql => Kept(new MySqlDirectoryDatabase(Wrap(options))),
        DirectoryProvider.PostgreSql => new PostgresDirectoryDatabase(Wrap(options)),
        _ => _sqlite!.Database,
    };

    /// <summary>A MySQL database whose kept lookup connections this fixture closes when it is disposed.</summary>
    public MySqlDirectoryDatabase Kept(MySqlDirectoryDatabase database)
    {
        _keptConnections.Add(database);
        return database;
    }
}

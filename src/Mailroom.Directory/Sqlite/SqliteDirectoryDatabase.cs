using System.Data.Common;
using System.Globalization;
using Mailroom.Directory.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Sqlite;

/// <summary>
/// The directory's SQLite file: creates and migrates the schema, and opens connections. Configured once,
/// used per operation: admin connections come from Microsoft.Data.Sqlite's pool; lookups use sessions kept
/// here (an open connection with its statements prepared once), because re-preparing every statement on every
/// lookup was most of a lookup's cost. The file is in WAL mode with a busy timeout, so the server (readers) and
/// the CLI admin verbs (a writer) can use it at the same time; a kept session holds no transaction between
/// lookups, so each lookup reads the latest committed state, and SQLite re-prepares a statement by itself when
/// the schema changed underneath it.
/// </summary>
public sealed class SqliteDirectoryDatabase : DirectoryDatabase, IDisposable
{
    private readonly ILogger<SqliteDirectoryDatabase> _logger;
    private readonly string _createConnectionString;
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    private readonly KeptLookupSessions _idleSessions = new();

    public SqliteDirectoryDatabase(IOptions<DirectoryOptions> options, ILogger<SqliteDirectoryDatabase> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
        _logger = logger;
        DirectoryOptions value = options.Value;
        DatabasePath = Path.GetFullPath(value.DatabasePath);
        _busyTimeoutMilliseconds = (int)value.BusyTimeout.TotalMilliseconds;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(value.BusyTimeout.TotalSeconds)),
        };
        _createConnectionString = builder.ToString();

        // Everything but InitializeAsync refuses to create the file: a missing database is an error to
        // report, not an empty directory to answer "unknown user" from.
        builder.Mode = SqliteOpenMode.ReadWrite;
        _connectionString = builder.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public override DirectoryProvider Provider => DirectoryProvider.Sqlite;

    public override string DisplayName => DatabasePath;

    /// <summary>The schema version this build creates and understands.</summary>
    public static int SchemaVersion => SchemaMigrations.All.Count;

    /// <summary>
    /// Creates the file and its directory if needed, switches it to WAL, and applies pending migrations in
    /// one transaction. Idempotent and safe when two processes start together. Call at host start-up and
    /// before each CLI verb.
    /// </summary>
    /// <exception cref="DirectoryUnavailableException">The file cannot be created, opened or migrated.</exception>
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            string? directory = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            await using var connection = new SqliteConnection(_createConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};", cancellationToken).ConfigureAwait(false);

            // WAL is a property of the file and persists: readers never block the writer and vice versa.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _logger.DatabaseUnavailable(ex, DatabasePath);
            throw new DirectoryUnavailableException($"cannot open the directory database {DatabasePath}: {ex.Message}", ex);
        }
    }

    /// <summary>Mailroom's own file: creating the schema is what <see cref="InitializeAsync"/> does.</summary>
    public override Task CreateSchemaAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    /// <summary>Opens a pooled connection to the existing database, with the busy timeout applied.</summary>
    internal override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An idle session with its statements already prepared, or a new one on a new connection.</summary>
    internal override async Task<LookupSession> RentSessionAsync(CancellationToken cancellationToken) =>
        _idleSessions.TryTake() ?? new LookupSession(await OpenAsync(cancellationToken).ConfigureAwait(false), prepare: true);

    /// <summary>Keeps the session, connection and prepared statements, for the next lookup.</summary>
    internal override ValueTask ReturnSessionAsync(LookupSession session)
    {
        _idleSessions.Return(session);
        return ValueTask.CompletedTask;
    }

    /// <summary>After a failure (file replaced, disk error): closes the idle sessions, so the next lookup reopens the file.</summary>
    internal override void ResetPool() => _idleSessions.Clear();

    /// <summary>Idle lookup sessions kept (for tests and diagnostics).</summary>
    internal int IdleSessionCount => _idleSessions.Count;

    /// <summary>Statements prepared on the idle sessions' connections (for tests and diagnostics).</summary>
    internal int PreparedStatementCount => _idleSessions.PreparedStatementCount;

    /// <summary>Closes the kept lookup connections (at host shutdown).</summary>
    public void Dispose() => ResetPool();

    /// <summary>BEGIN IMMEDIATE: the checks and the writes see one consistent state, even with a second admin.</summary>
    internal override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <summary>SQLITE_ERROR (1) is "SQL logic error": a bad statement or a missing table, not a busy or broken file.</summary>
    internal override bool IsStatementError(DbException exception) => exception is SqliteException { SqliteErrorCode: 1 };

    internal static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes the write lock before reading the version, so two processes starting
        // together apply each migration exactly once.
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS mailroom_schema (version INTEGER NOT NULL PRIMARY KEY, applied TEXT NOT NULL);", cancellationToken).ConfigureAwait(false);

        await using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM mailroom_schema;";
        int current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new DirectoryUnavailableException(
                $"the directory database {DatabasePath} has schema version {current}, newer than this Mailroom understands ({SchemaVersion}); upgrade Mailroom");
        }

        for (int version = current + 1; version <= SchemaVersion; version++)
        {
            await ExecuteAsync(connection, transaction, SchemaMigrations.All[version - 1], cancellationToken).ConfigureAwait(false);
            await using SqliteCommand record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO mailroom_schema (version, applied) VALUES ($version, datetime('now'));";
            record.Parameters.AddWithValue("$version", version);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (current < SchemaVersion)
        {
            _logger.SchemaMigrated(DatabasePath, SchemaVersion);
        }
    }
}

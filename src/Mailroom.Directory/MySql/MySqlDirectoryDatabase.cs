using System.Data.Common;
using Mailroom.Directory.Sql;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Mailroom.Directory.MySql;

/// <summary>
/// A MariaDB/MySQL directory (postfixadmin's <c>mysqli</c> database) through MySqlConnector's pool. Lookups run on
/// connections kept open here with their statements prepared on the server once per connection: MySqlConnector resets
/// a connection it hands out of its pool, which deallocates server-side prepared statements, so a lookup on a pooled
/// connection would prepare its statement again (or send it as text) every time. Autocommit is on and no transaction
/// stays open between lookups, so a kept connection reads every committed write.
/// </summary>
public sealed class MySqlDirectoryDatabase : ExternalDirectoryDatabase, IDisposable
{
    // Server errors that mean the statement is wrong, not that the server is away: ER_PARSE_ERROR,
    // ER_BAD_FIELD_ERROR, ER_NO_SUCH_TABLE, ER_NON_UNIQ_ERROR, ER_TABLEACCESS_DENIED_ERROR,
    // ER_COLUMNACCESS_DENIED_ERROR, ER_UNKNOWN_TABLE, ER_SP_DOES_NOT_EXIST, ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
    // ER_WRONG_PARAMETERS_TO_NATIVE_FCT, ER_FUNC_INEXISTENT_NAME_COLLISION, ER_BAD_DB_ERROR.
    private static readonly HashSet<int> StatementErrors = [1064, 1054, 1146, 1052, 1142, 1143, 1109, 1305, 1582, 1583, 1630, 1049];

    private readonly string _connectionString;
    private readonly KeptLookupSessions _idleSessions = new();

    public MySqlDirectoryDatabase(IOptions<DirectoryOptions> options)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
        DirectoryOptions value = options.Value;
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(value.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(DirectoryOptions.SectionName, typeof(DirectoryOptions), [$"{DirectoryOptions.SectionName}:ConnectionString: {ex.Message}"]);
        }

        builder.ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(value.ConnectTimeout.TotalSeconds));
        builder.DefaultCommandTimeout = (uint)Math.Max(1, Math.Ceiling(value.CommandTimeout.TotalSeconds));
        builder.Pooling = true;
        _connectionString = builder.ConnectionString;
        DisplayName = $"mysql://{builder.Server}:{builder.Port}/{builder.Database}";
    }

    public override DirectoryProvider Provider => DirectoryProvider.MySql;

    public override string DisplayName { get; }

    private protected override string CountTablesSql => """
        SELECT COUNT(*) FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_name IN ('domain', 'mailbox', 'alias', 'alias_domain')
        """;

    private protected override IReadOnlyList<string> SchemaStatements => PostfixadminSchema.MySql;

    private protected override DbConnection CreateConnection() => new MySqlConnection(_connectionString);

    internal override bool IsStatementError(DbException exception) =>
        exception is MySqlException { Number: var number } && StatementErrors.Contains(number);

    /// <summary>An idle session with its statements already prepared on the server, or a new one on a new connection.</summary>
    internal override async Task<LookupSession> RentSessionAsync(CancellationToken cancellationToken) =>
        _idleSessions.TryTake() ?? new LookupSession(await OpenAsync(cancellationToken).ConfigureAwait(false), prepare: true);

    /// <summary>Keeps the session, its connection and its prepared statements, for the next lookup.</summary>
    internal override ValueTask ReturnSessionAsync(LookupSession session)
    {
        _idleSessions.Return(session);
        return ValueTask.CompletedTask;
    }

    internal override void ResetPool()
    {
        _idleSessions.Clear();
        using var connection = new MySqlConnection(_connectionString);
        MySqlConnection.ClearPool(connection);
    }

    /// <summary>Idle lookup sessions kept (for tests and diagnostics).</summary>
    internal int IdleSessionCount => _idleSessions.Count;

    /// <summary>Statements prepared on the idle sessions' connections (for tests and diagnostics).</summary>
    internal int PreparedStatementCount => _idleSessions.PreparedStatementCount;

    /// <summary>Closes the kept lookup connections (at host shutdown).</summary>
    public void Dispose() => _idleSessions.Dispose();
}

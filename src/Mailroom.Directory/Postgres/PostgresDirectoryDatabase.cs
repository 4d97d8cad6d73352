using System.Data.Common;
using Mailroom.Directory.Sql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mailroom.Directory.Postgres;

/// <summary>A PostgreSQL directory (postfixadmin's <c>pgsql</c> database) through Npgsql's pool.</summary>
public sealed class PostgresDirectoryDatabase : ExternalDirectoryDatabase
{
    // Room for every lookup statement (seven kinds) and the admin verbs' most frequent ones.
    private const int AutoPreparedStatements = 32;

    private readonly string _connectionString;

    public PostgresDirectoryDatabase(IOptions<DirectoryOptions> options)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
        DirectoryOptions value = options.Value;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(DirectoryOptions.SectionName, typeof(DirectoryOptions), [$"{DirectoryOptions.SectionName}:ConnectionString: {ex.Message}"]);
        }

        builder.Timeout = Math.Max(1, (int)Math.Ceiling(value.ConnectTimeout.TotalSeconds));
        builder.CommandTimeout = Math.Max(1, (int)Math.Ceiling(value.CommandTimeout.TotalSeconds));
        builder.Pooling = true;

        // Npgsql keeps automatically prepared statements on each pooled physical connection across open/close, so
        // the few lookup statements are parsed and planned once per connection, not once per lookup. An explicit
        // "Max Auto Prepare" in the connection string (0 turns it off) is the administrator's to keep.
        // (NpgsqlConnectionStringBuilder.ContainsKey answers whether a keyword exists, not whether it was given.)
        if (!MaxAutoPrepareGiven(value.ConnectionString!))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        _connectionString = builder.ConnectionString;
        DisplayName = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override DirectoryProvider Provider => DirectoryProvider.PostgreSql;

    public override string DisplayName { get; }

    private protected override string CountTablesSql => """
        SELECT COUNT(*) FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name IN ('domain', 'mailbox', 'alias', 'alias_domain')
        """;

    private protected override IReadOnlyList<string> SchemaStatements => PostfixadminSchema.PostgreSql;

    private protected override DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    private static bool MaxAutoPrepareGiven(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", string.Empty, StringComparison.Ordinal), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));

    /// <summary>SQLSTATE class 42 (syntax error or access rule violation) and 22 (data exception).</summary>
    internal override bool IsStatementError(DbException exception) =>
        exception is PostgresException { SqlState: var state } && (state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("22", StringComparison.Ordinal));

    internal override void ResetPool()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        NpgsqlConnection.ClearPool(connection);
    }
}

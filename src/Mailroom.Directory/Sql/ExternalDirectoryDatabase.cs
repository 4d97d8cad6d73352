using System.Data.Common;
using Mailroom.Directory.Admin;

namespace Mailroom.Directory.Sql;

/// <summary>What MySQL and PostgreSQL share: no start-up changes, and schema creation only into an empty database.</summary>
public abstract class ExternalDirectoryDatabase : DirectoryDatabase
{
    private protected ExternalDirectoryDatabase(DirectoryOptions options)
        : base(options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                DirectoryOptions.SectionName,
                typeof(DirectoryOptions),
                [$"{DirectoryOptions.SectionName}:ConnectionString: required when {DirectoryOptions.SectionName}:Provider is {options.Provider}"]);
        }
    }

    /// <summary>Counts postfixadmin's tables in the connection's current database or schema.</summary>
    private protected abstract string CountTablesSql { get; }

    /// <summary>postfixadmin 3.x's DDL for this server, one statement each.</summary>
    private protected abstract IReadOnlyList<string> SchemaStatements { get; }

    public override Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A new (pooled) connection object of this server's driver, not yet open.</summary>
    private protected abstract DbConnection CreateConnection();

    internal override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (DbCommand count = connection.CreateCommand())
            {
                count.CommandText = CountTablesSql;
                if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    throw new DirectoryAdminException(
                        $"{DisplayName} already has postfixadmin tables; Mailroom uses them as they are and never alters an existing database");
                }
            }

            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (string statement in SchemaStatements)
            {
                await using DbCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw new DirectoryUnavailableException($"cannot create the schema in {DisplayName}: {ex.Message}", ex);
        }
    }
}

using System.Data.Common;

namespace Mailroom.Directory.Sql;

/// <summary>
/// One directory database (SQLite file, MariaDB/MySQL or PostgreSQL server): opens pooled connections with the
/// configured timeouts, says which failures mean "your SQL is wrong" rather than "the database is away", and
/// creates postfixadmin's schema in an empty database on request. Everything else — lookups, admin verbs — is
/// shared SQL on top of it.
/// </summary>
public abstract class DirectoryDatabase
{
    private protected DirectoryDatabase(DirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CommandTimeout = options.CommandTimeout;

        // One bound for a whole lookup (connect + statements), whatever each driver's own timeouts do with a
        // server that accepts the connection and then says nothing.
        OperationTimeout = options.ConnectTimeout + options.CommandTimeout;
    }

    public abstract DirectoryProvider Provider { get; }

    /// <summary>Where the directory is, for logs and error messages (never the password).</summary>
    public abstract string DisplayName { get; }

    internal TimeSpan CommandTimeout { get; }

    internal TimeSpan OperationTimeout { get; }

    /// <summary>
    /// Prepares the database for use at start-up. SQLite: creates or migrates Mailroom's own file. MySQL and
    /// PostgreSQL: nothing — an existing (postfixadmin) database is never altered; see <see cref="CreateSchemaAsync"/>.
    /// </summary>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates postfixadmin's tables (<c>domain</c>, <c>mailbox</c>, <c>alias</c>, <c>alias_domain</c>) in a
    /// database that has none of them; refuses (<see cref="Admin.DirectoryAdminException"/>) when any exists.
    /// </summary>
    public abstract Task CreateSchemaAsync(CancellationToken cancellationToken);

    internal abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A session for one lookup. By default a fresh pooled connection whose commands live as long as the lookup;
    /// a database that keeps sessions hands out an idle one, with its commands already prepared.
    /// </summary>
    internal virtual async Task<LookupSession> RentSessionAsync(CancellationToken cancellationToken) =>
        new(await OpenAsync(cancellationToken).ConfigureAwait(false), prepare: false);

    /// <summary>Takes back a session whose lookup succeeded; by default closes it (its connection returns to the driver's pool).</summary>
    internal virtual ValueTask ReturnSessionAsync(LookupSession session) => session.DisposeAsync();

    /// <summary>A transaction for an admin verb's checks and writes.</summary>
    internal virtual async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>True when the server rejected the statement itself (syntax, unknown table or column, permission).</summary>
    internal abstract bool IsStatementError(DbException exception);

    /// <summary>After a failure: drops pooled connections, which may all be dead, so the next lookup starts afresh.</summary>
    internal virtual void ResetPool()
    {
    }
}

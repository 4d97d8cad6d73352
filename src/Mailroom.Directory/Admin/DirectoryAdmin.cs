using System.Globalization;
using Mailroom.Core;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mailroom.Directory.Admin;

/// <summary>
/// Administration of domains, users and aliases (the CLI verbs <c>domain</c>, <c>user</c>, <c>alias</c>).
/// Each method validates its input, runs in one write transaction, and reports refusals as
/// <see cref="DirectoryAdminException"/> with a message meant for the administrator; database failures
/// surface as <see cref="DirectoryUnavailableException"/>. Writes are visible to a running server at once.
/// </summary>
public sealed partial class DirectoryAdmin
{
    private readonly SqliteDirectoryDatabase _database;
    private readonly PasswordSchemes _schemes;
    private readonly TimeProvider _timeProvider;

    public DirectoryAdmin(SqliteDirectoryDatabase database, PasswordSchemes schemes, TimeProvider timeProvider)
    {
        _database = database;
        _schemes = schemes;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates or migrates the database; see <see cref="SqliteDirectoryDatabase.InitializeAsync"/>.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    public Task AddDomainAsync(string domain, string? description = null, CancellationToken cancellationToken = default)
    {
        string name = NormalizeDomain(domain);
        return WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM domain WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false) is not null)
            {
                throw new DirectoryAdminException($"domain {name} already exists");
            }

            if (await ScalarAsync(connection, transaction, "SELECT target_domain FROM alias_domain WHERE alias_domain = $p0;", cancellationToken, name).ConfigureAwait(false) is string target)
            {
                throw new DirectoryAdminException($"{name} is an alias domain of {target}; remove it first with: mailroom alias-domain remove {name}");
            }

            string now = Now();
            await ExecuteAsync(connection, transaction, "INSERT INTO domain (domain, description, created, modified, active) VALUES ($p0, $p1, $p2, $p2, 1);", cancellationToken, name, description ?? string.Empty, now).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DomainInfo>>(async connection =>
        {
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT d.domain, d.description, d.active, d.created,
                       (SELECT COUNT(*) FROM mailbox m WHERE m.domain = d.domain),
                       (SELECT COUNT(*) FROM alias a WHERE a.domain = d.domain AND a.goto <> a.address)
                FROM domain d ORDER BY d.domain;
                """;
            var domains = new List<DomainInfo>();
            await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                domains.Add(new DomainInfo(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt32(4), reader.GetInt32(5), reader.GetString(3)));
            }

            return domains;
        }, cancellationToken);

    /// <summary>
    /// Removes a domain. Refused while it has mailboxes, aliases or alias domains, unless <paramref name="force"/>,
    /// which removes those rows too (the mail files on disk are left for the administrator).
    /// </summary>
    public Task RemoveDomainAsync(string domain, bool force = false, CancellationToken cancellationToken = default)
    {
        string name = NormalizeDomain(domain);
        return WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM domain WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false) is null)
            {
                throw new DirectoryAdminException($"domain {name} does not exist");
            }

            long mailboxes = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM mailbox WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false))!;
            long aliases = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM alias WHERE domain = $p0 AND goto <> address;", cancellationToken, name).ConfigureAwait(false))!;
            long aliasDomains = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM alias_domain WHERE target_domain = $p0 OR alias_domain = $p0;", cancellationToken, name).ConfigureAwait(false))!;
            if (!force && mailboxes + aliases + aliasDomains > 0)
            {
                throw new DirectoryAdminException(
                    $"domain {name} still has {mailboxes} mailbox(es), {aliases} alias(es) and {aliasDomains} alias domain(s); " +
                    $"remove them first, or use: mailroom domain remove {name} --force");
            }

            await ExecuteAsync(connection, transaction, "DELETE FROM mailbox WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM alias WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM alias_domain WHERE target_domain = $p0 OR alias_domain = $p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM domain WHERE domain = $p0;", cancellationToken, name).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    private static string NormalizeDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string name = domain.Trim().ToLowerInvariant();
        if (name.StartsWith('[') || !EmailAddress.IsValidDomain(name) || !name.Contains('.', StringComparison.Ordinal))
        {
            throw new DirectoryAdminException($"'{domain}' is not a valid domain name (expected e.g. example.org)");
        }

        return name;
    }

    /// <summary>The domain must exist and be active, or be an alias domain (for aliases only).</summary>
    private static async Task RequireLocalDomainAsync(SqliteConnection connection, SqliteTransaction transaction, string domain, bool allowAliasDomain, CancellationToken cancellationToken)
    {
        object? active = await ScalarAsync(connection, transaction, "SELECT active FROM domain WHERE domain = $p0;", cancellationToken, domain).ConfigureAwait(false);
        if (active is long value)
        {
            if (value == 0)
            {
                throw new DirectoryAdminException($"domain {domain} is disabled");
            }

            return;
        }

        if (allowAliasDomain && await ScalarAsync(connection, transaction, "SELECT 1 FROM alias_domain WHERE alias_domain = $p0;", cancellationToken, domain).ConfigureAwait(false) is not null)
        {
            return;
        }

        throw new DirectoryAdminException($"domain {domain} does not exist; add it first with: mailroom domain add {domain}");
    }

    private string Now() => _timeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

            // BEGIN IMMEDIATE: the checks and the writes see one consistent state, even with a second admin.
            await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            T result = await action(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (SqliteException ex)
        {
            throw new DirectoryUnavailableException($"directory database {_database.DatabasePath}: {ex.Message}", ex);
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new DirectoryUnavailableException($"directory database {_database.DatabasePath}: {ex.Message}", ex);
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using SqliteCommand command = Prepare(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using SqliteCommand command = Prepare(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? transaction, string sql, object[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (int i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i.ToString(CultureInfo.InvariantCulture), parameters[i]);
        }

        return command;
    }
}

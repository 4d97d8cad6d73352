using System.Globalization;
using Mailroom.Core;
using Mailroom.Directory.Passwords;
using System.Data.Common;
using Mailroom.Directory.Sql;

namespace Mailroom.Directory.Admin;

/// <summary>
/// Administration of domains, users and aliases (the CLI verbs <c>domain</c>, <c>user</c>, <c>alias</c>).
/// Each method validates its input, runs in one write transaction, and reports refusals as
/// <see cref="DirectoryAdminException"/> with a message meant for the administrator; database failures
/// surface as <see cref="DirectoryUnavailableException"/>. Writes are visible to a running server at once.
/// </summary>
public sealed partial class DirectoryAdmin
{
    private readonly DirectoryDatabase _database;
    private readonly PasswordSchemes _schemes;
    private readonly TimeProvider _timeProvider;

    public DirectoryAdmin(DirectoryDatabase database, PasswordSchemes schemes, TimeProvider timeProvider)
    {
        _database = database;
        _schemes = schemes;
        _timeProvider = timeProvider;
    }

    /// <summary>Prepares the database; see <see cref="DirectoryDatabase.InitializeAsync"/>.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    /// <summary>Creates postfixadmin's tables in an empty database; see <see cref="DirectoryDatabase.CreateSchemaAsync"/>.</summary>
    public Task CreateSchemaAsync(CancellationToken cancellationToken = default) => _database.CreateSchemaAsync(cancellationToken);

    /// <summary>Where the directory is (never the password).</summary>
    public string DatabaseName => _database.DisplayName;

    public Task AddDomainAsync(string domain, string? description = null, CancellationToken cancellationToken = default)
    {
        string name = NormalizeDomain(domain);
        return WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM domain WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false) is not null)
            {
                throw new DirectoryAdminException($"domain {name} already exists");
            }

            if (await ScalarAsync(connection, transaction, "SELECT target_domain FROM alias_domain WHERE alias_domain = @p0;", cancellationToken, name).ConfigureAwait(false) is string target)
            {
                throw new DirectoryAdminException($"{name} is an alias domain of {target}; remove it first with: mailroom alias-domain remove {name}");
            }

            DateTime now = Now();
            await ExecuteAsync(connection, transaction, """
                INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, created, modified, active)
                VALUES (@p0, @p1, 0, 0, 0, 0, 'virtual', FALSE, @p2, @p2, TRUE);
                """, cancellationToken, name, description ?? string.Empty, now).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DomainInfo>> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DomainInfo>>(async connection =>
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT d.domain, d.description, d.active, d.created,
                       (SELECT COUNT(*) FROM mailbox m WHERE m.domain = d.domain),
                       (SELECT COUNT(*) FROM alias a WHERE a.domain = d.domain AND a.goto <> a.address)
                FROM domain d ORDER BY d.domain;
                """;
            var domains = new List<DomainInfo>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                domains.Add(new DomainInfo(reader.GetString(0), reader.GetString(1), AdminValues.ToBool(reader.GetValue(2)), Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), AdminValues.ToTime(reader.GetValue(3))));
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
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM domain WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false) is null)
            {
                throw new DirectoryAdminException($"domain {name} does not exist");
            }

            long mailboxes = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM mailbox WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false))!;
            long aliases = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM alias WHERE domain = @p0 AND goto <> address;", cancellationToken, name).ConfigureAwait(false))!;
            long aliasDomains = (long)(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM alias_domain WHERE target_domain = @p0 OR alias_domain = @p0;", cancellationToken, name).ConfigureAwait(false))!;
            if (!force && mailboxes + aliases + aliasDomains > 0)
            {
                throw new DirectoryAdminException(
                    $"domain {name} still has {mailboxes} mailbox(es), {aliases} alias(es) and {aliasDomains} alias domain(s); " +
                    $"remove them first, or use: mailroom domain remove {name} --force");
            }

            await ExecuteAsync(connection, transaction, "DELETE FROM mailbox WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM alias WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM alias_domain WHERE target_domain = @p0 OR alias_domain = @p0;", cancellationToken, name).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM domain WHERE domain = @p0;", cancellationToken, name).ConfigureAwait(false);
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
    private static async Task RequireLocalDomainAsync(DbConnection connection, DbTransaction transaction, string domain, bool allowAliasDomain, CancellationToken cancellationToken)
    {
        object? active = await ScalarAsync(connection, transaction, "SELECT active FROM domain WHERE domain = @p0;", cancellationToken, domain).ConfigureAwait(false);
        if (active is not null and not DBNull)
        {
            if (!AdminValues.ToBool(active))
            {
                throw new DirectoryAdminException($"domain {domain} is disabled");
            }

            return;
        }

        if (allowAliasDomain && await ScalarAsync(connection, transaction, "SELECT 1 FROM alias_domain WHERE alias_domain = @p0;", cancellationToken, domain).ConfigureAwait(false) is not null)
        {
            return;
        }

        throw new DirectoryAdminException($"domain {domain} does not exist; add it first with: mailroom domain add {domain}");
    }

    /// <summary>Now in UTC, whole seconds (postfixadmin's <c>created</c>/<c>modified</c> have no fractions).</summary>
    private DateTime Now()
    {
        DateTime now = _timeProvider.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

            await using DbTransaction transaction = await _database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            T result = await action(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (DbException ex)
        {
            throw new DirectoryUnavailableException($"directory database {_database.DisplayName}: {ex.Message}", ex);
        }
    }

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw new DirectoryUnavailableException($"directory database {_database.DisplayName}: {ex.Message}", ex);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using DbCommand command = Prepare(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using DbCommand command = Prepare(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string sql, object[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (int i = 0; i < parameters.Length; i++)
        {
            SqlParameters.Add(command, "@p" + i.ToString(CultureInfo.InvariantCulture), parameters[i]);
        }

        return command;
    }
}

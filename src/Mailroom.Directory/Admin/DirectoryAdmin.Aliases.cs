using Mailroom.Core;
using System.Data.Common;
using Mailroom.Directory.Sql;

namespace Mailroom.Directory.Admin;

/// <summary>Aliases (postfixadmin's <c>alias</c> rows, <c>goto</c> a comma-separated list) and alias domains.</summary>
public sealed partial class DirectoryAdmin
{
    /// <summary>
    /// Adds targets to the alias <paramref name="address"/> (<c>@domain</c> for a catch-all), creating it or
    /// merging into its existing list. For a user's own address this adds forwarding while keeping delivery
    /// to the mailbox (postfixadmin's "forward and keep a copy").
    /// </summary>
    public Task AddAliasAsync(string address, IReadOnlyCollection<string> targets, CancellationToken cancellationToken = default)
    {
        (string key, string domain) = ParseAliasAddress(address);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            throw new DirectoryAdminException($"alias {key} needs at least one target address");
        }

        List<string> additions = targets.Select(ParseTarget).ToList();
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLocalDomainAsync(connection, transaction, domain, allowAliasDomain: true, cancellationToken).ConfigureAwait(false);
            bool isMailbox = await ScalarAsync(connection, transaction, "SELECT 1 FROM mailbox WHERE username = @p0;", cancellationToken, key).ConfigureAwait(false) is not null;
            if (!isMailbox && additions.Contains(key, StringComparer.Ordinal))
            {
                throw new DirectoryAdminException($"alias {key} cannot point to itself");
            }

            string? existing = await ScalarAsync(connection, transaction, "SELECT goto FROM alias WHERE address = @p0;", cancellationToken, key).ConfigureAwait(false) as string;
            List<string> merged = SplitTargets(existing);
            foreach (string target in additions.Where(t => !merged.Contains(t, StringComparer.Ordinal)))
            {
                merged.Add(target);
            }

            DateTime now = Now();
            string gotoList = string.Join(',', merged);
            if (existing is null)
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (@p0, @p1, @p2, @p3, @p3, TRUE);", cancellationToken, key, gotoList, domain, now).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(connection, transaction, "UPDATE alias SET goto = @p1, modified = @p2 WHERE address = @p0;", cancellationToken, key, gotoList, now).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>Lists aliases (of one domain or all), leaving out mailboxes' plain self-aliases.</summary>
    public Task<IReadOnlyList<AliasInfo>> ListAliasesAsync(string? domain = null, CancellationToken cancellationToken = default)
    {
        string? name = domain is null ? null : NormalizeDomain(domain);
        return ReadAsync<IReadOnlyList<AliasInfo>>(async connection =>
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT address, goto, active FROM alias
                WHERE goto <> address AND (@domain IS NULL OR domain = @domain) ORDER BY domain, address;
                """;
            SqlParameters.Add(command, "@domain", name);
            var aliases = new List<AliasInfo>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                aliases.Add(new AliasInfo(reader.GetString(0), SplitTargets(reader.GetString(1)), AdminValues.ToBool(reader.GetValue(2))));
            }

            return aliases;
        }, cancellationToken);
    }

    /// <summary>
    /// Removes one target, or all targets when <paramref name="target"/> is null. A user's own alias row is
    /// never deleted: it returns to delivering to the mailbox only.
    /// </summary>
    public Task RemoveAliasAsync(string address, string? target = null, CancellationToken cancellationToken = default)
    {
        (string key, _) = ParseAliasAddress(address);
        string? removal = target is null ? null : ParseTarget(target);
        return WriteAsync(async (connection, transaction) =>
        {
            if (await ScalarAsync(connection, transaction, "SELECT goto FROM alias WHERE address = @p0;", cancellationToken, key).ConfigureAwait(false) is not string existing)
            {
                throw new DirectoryAdminException($"alias {key} does not exist");
            }

            bool isMailbox = await ScalarAsync(connection, transaction, "SELECT 1 FROM mailbox WHERE username = @p0;", cancellationToken, key).ConfigureAwait(false) is not null;
            List<string> remaining = SplitTargets(existing);
            if (removal is not null && remaining.RemoveAll(t => string.Equals(t, removal, StringComparison.Ordinal)) == 0)
            {
                throw new DirectoryAdminException($"alias {key} does not forward to {removal}");
            }

            if (removal is null)
            {
                if (isMailbox && existing == key)
                {
                    throw new DirectoryAdminException($"{key} is a user without forwarding; to delete the user use: mailroom user remove {key}");
                }

                remaining.Clear();
            }

            if (remaining.Count == 0 && isMailbox)
            {
                remaining.Add(key);
            }

            if (remaining.Count == 0)
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM alias WHERE address = @p0;", cancellationToken, key).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(connection, transaction, "UPDATE alias SET goto = @p1, modified = @p2 WHERE address = @p0;", cancellationToken, key, string.Join(',', remaining), Now()).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>Makes every <c>x@aliasDomain</c> deliver as <c>x@targetDomain</c> (postfixadmin's alias_domain).</summary>
    public Task AddAliasDomainAsync(string aliasDomain, string targetDomain, CancellationToken cancellationToken = default)
    {
        string alias = NormalizeDomain(aliasDomain);
        string target = NormalizeDomain(targetDomain);
        if (alias == target)
        {
            throw new DirectoryAdminException($"domain {alias} cannot be an alias of itself");
        }

        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLocalDomainAsync(connection, transaction, target, allowAliasDomain: false, cancellationToken).ConfigureAwait(false);
            if (await ScalarAsync(connection, transaction, "SELECT target_domain FROM alias_domain WHERE alias_domain = @p0;", cancellationToken, alias).ConfigureAwait(false) is string current)
            {
                throw new DirectoryAdminException($"{alias} is already an alias domain of {current}");
            }

            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM alias_domain WHERE alias_domain = @p0;", cancellationToken, target).ConfigureAwait(false) is not null)
            {
                throw new DirectoryAdminException($"{target} is itself an alias domain; point {alias} at a real domain");
            }

            DateTime now = Now();
            await ExecuteAsync(connection, transaction, "INSERT INTO alias_domain (alias_domain, target_domain, created, modified, active) VALUES (@p0, @p1, @p2, @p2, TRUE);", cancellationToken, alias, target, now).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AliasDomainInfo>> ListAliasDomainsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AliasDomainInfo>>(async connection =>
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT alias_domain, target_domain, active FROM alias_domain ORDER BY alias_domain;";
            var result = new List<AliasDomainInfo>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new AliasDomainInfo(reader.GetString(0), reader.GetString(1), AdminValues.ToBool(reader.GetValue(2))));
            }

            return result;
        }, cancellationToken);

    public Task RemoveAliasDomainAsync(string aliasDomain, CancellationToken cancellationToken = default)
    {
        string alias = NormalizeDomain(aliasDomain);
        return WriteAsync(async (connection, transaction) =>
        {
            int changed = await ExecuteAsync(connection, transaction, "DELETE FROM alias_domain WHERE alias_domain = @p0;", cancellationToken, alias).ConfigureAwait(false);
            return changed == 0 ? throw new DirectoryAdminException($"{alias} is not an alias domain") : 0;
        }, cancellationToken);
    }

    /// <summary>An alias address: <c>local@domain</c>, or <c>@domain</c> for the domain's catch-all.</summary>
    private static (string Key, string Domain) ParseAliasAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        string trimmed = address.Trim();
        if (trimmed.StartsWith('@'))
        {
            string domain = NormalizeDomain(trimmed[1..]);
            return ("@" + domain, domain);
        }

        if (!EmailAddress.TryParse(trimmed, out EmailAddress? parsed) || parsed!.Domain.StartsWith('['))
        {
            throw new DirectoryAdminException($"'{address}' is not a valid alias address (expected name@example.org, or @example.org for a catch-all)");
        }

        return (parsed.Key, parsed.Domain);
    }

    private static string ParseTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        string trimmed = target.Trim();
        if (trimmed.Contains(',', StringComparison.Ordinal) || !EmailAddress.TryParse(trimmed, out EmailAddress? parsed))
        {
            throw new DirectoryAdminException($"'{target}' is not a valid target address (expected user@example.org)");
        }

        return parsed!.Key;
    }

    private static List<string> SplitTargets(string? gotoList) =>
        gotoList is null ? [] : [.. gotoList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

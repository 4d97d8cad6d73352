using Microsoft.Data.Sqlite;

namespace Mailroom.Directory.Sqlite;

/// <summary>How the directory treats a domain.</summary>
internal enum DomainState
{
    NotLocal,
    Local,
    AliasDomain,
}

/// <param name="State">Local, alias of another local domain, or not ours.</param>
/// <param name="TargetDomain">For an alias domain, the (active) domain its addresses map to.</param>
internal readonly record struct DomainLookup(DomainState State, string? TargetDomain);

/// <summary>The read queries of the lookups, each on an open connection.</summary>
internal static class DirectoryQueries
{
    /// <summary>
    /// An inactive domain row makes the domain not local (as postfixadmin's Postfix maps filter on
    /// <c>active = 1</c>); an active <c>alias_domain</c> row whose target is an active domain makes it an alias domain.
    /// </summary>
    public static async Task<DomainLookup> GetDomainAsync(SqliteConnection connection, string domain, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT active FROM domain WHERE domain = $domain),
                   (SELECT ad.target_domain FROM alias_domain ad JOIN domain t ON t.domain = ad.target_domain
                    WHERE ad.alias_domain = $domain AND ad.active = 1 AND t.active = 1);
            """;
        command.Parameters.AddWithValue("$domain", domain);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        long? active = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        string? target = reader.IsDBNull(1) ? null : reader.GetString(1);
        if (active == 0)
        {
            return new DomainLookup(DomainState.NotLocal, null);
        }

        if (target is not null && !string.Equals(target, domain, StringComparison.Ordinal))
        {
            return new DomainLookup(DomainState.AliasDomain, target);
        }

        return new DomainLookup(active == 1 ? DomainState.Local : DomainState.NotLocal, null);
    }

    /// <summary>The <c>goto</c> list of an active alias row, or null.</summary>
    public static async Task<string?> GetAliasTargetsAsync(SqliteConnection connection, string address, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT goto FROM alias WHERE address = $address AND active = 1;";
        command.Parameters.AddWithValue("$address", address);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public static async Task<bool> IsActiveMailboxAsync(SqliteConnection connection, string address, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM mailbox WHERE username = $address AND active = 1;";
        command.Parameters.AddWithValue("$address", address);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The stored password of an active mailbox in an active domain, or null.</summary>
    public static async Task<string?> GetPasswordAsync(SqliteConnection connection, string address, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.password FROM mailbox m JOIN domain d ON d.domain = m.domain
            WHERE m.username = $address AND m.active = 1 AND d.active = 1;
            """;
        command.Parameters.AddWithValue("$address", address);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}

using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Directory.Sql;

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

/// <summary>
/// The lookup statements — postfixadmin's by default, or the administrator's from <see cref="DirectoryQueryOptions"/> —
/// run on an open connection with every named parameter bound (never spliced), so an address carrying SQL is
/// only ever a value. The default SQL is the same on SQLite, MariaDB and PostgreSQL (TRUE/FALSE literals
/// compare with 0/1 integers and with booleans alike).
/// </summary>
internal sealed partial class DirectoryQueries
{
    /// <summary>The parameters every query may use.</summary>
    public static readonly IReadOnlyList<string> ParameterNames = ["user", "address", "local_part", "domain"];

    private readonly Dictionary<QueryKind, string> _sql = [];
    private readonly int _commandTimeoutSeconds;

    public DirectoryQueries(DirectoryQueryOptions options, TimeSpan commandTimeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        _commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(commandTimeout.TotalSeconds));
        foreach (QueryKind kind in Enum.GetValues<QueryKind>())
        {
            string? custom = kind switch
            {
                QueryKind.Domain => options.Domain,
                QueryKind.AliasDomain => options.AliasDomain,
                QueryKind.Alias => options.Alias,
                QueryKind.Mailbox => options.Mailbox,
                QueryKind.Password => options.Password,
                QueryKind.SendingLimits => options.SendingLimits,
                QueryKind.SpamToJunk => options.SpamToJunk,
                _ => options.Quota,
            };
            if (!string.IsNullOrWhiteSpace(custom))
            {
                _sql[kind] = custom;
                Custom.Add(kind);
            }
            else
            {
                _sql[kind] = Default(kind);
            }
        }
    }

    /// <summary>The lookups the administrator replaced.</summary>
    public List<QueryKind> Custom { get; } = [];

    public static string KeyOf(QueryKind kind) => $"{DirectoryOptions.SectionName}:Queries:{kind}";

    public static string Default(QueryKind kind) => kind switch
    {
        QueryKind.Domain => "SELECT domain FROM domain WHERE domain = @domain AND active = TRUE",

        // An alias domain counts only while it is not also a disabled domain of its own, and its target is active.
        QueryKind.AliasDomain => """
            SELECT ad.target_domain FROM alias_domain ad JOIN domain t ON t.domain = ad.target_domain
            WHERE ad.alias_domain = @domain AND ad.active = TRUE AND t.active = TRUE
              AND NOT EXISTS (SELECT 1 FROM domain x WHERE x.domain = @domain AND x.active = FALSE)
            """,
        QueryKind.Alias => "SELECT goto FROM alias WHERE address = @address AND active = TRUE",
        QueryKind.Mailbox => "SELECT username FROM mailbox WHERE username = @user AND active = TRUE",
        QueryKind.Password => """
            SELECT m.password FROM mailbox m JOIN domain d ON d.domain = m.domain
            WHERE m.username = @user AND m.active = TRUE AND d.active = TRUE
            """,
        // Mailroom's columns (not postfixadmin's): where the table lacks them, every user has the default limits.
        QueryKind.SendingLimits => "SELECT messages_per_hour, recipients_per_hour FROM mailbox WHERE username = @user",
        QueryKind.SpamToJunk => "SELECT spam_to_junk FROM mailbox WHERE username = @user",
        _ => "SELECT quota FROM mailbox WHERE username = @user AND active = TRUE",
    };

    /// <summary>
    /// Problems a query has before it reaches the database: an empty text, or a parameter that is not one of
    /// <see cref="ParameterNames"/> (a typo there would otherwise match nothing, silently). One line each, naming the key.
    /// </summary>
    public List<string> CheckParameters()
    {
        var problems = new List<string>();
        foreach (QueryKind kind in Custom)
        {
            string withoutLiterals = StringLiteral().Replace(_sql[kind], "''");
            foreach (Match match in ParameterReference().Matches(withoutLiterals))
            {
                string name = match.Groups["name"].Value;
                if (!ParameterNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{KeyOf(kind)}: unknown parameter @{name} (use @user, @address, @local_part or @domain)");
                }
            }
        }

        return problems;
    }

    /// <summary>Runs one query with harmless dummy values, reading its rows, to prove it parses and its tables exist.</summary>
    public async Task DryRunAsync(LookupSession session, QueryKind kind, CancellationToken cancellationToken)
    {
        DbCommand command = Create(session, kind, "nobody@mailroom.invalid");
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    public async Task<DomainLookup> GetDomainAsync(LookupSession session, string domain, CancellationToken cancellationToken)
    {
        string? target = AsString(await ScalarAsync(session, QueryKind.AliasDomain, "@" + domain, cancellationToken).ConfigureAwait(false));
        if (!string.IsNullOrEmpty(target) && !string.Equals(target.ToLowerInvariant(), domain, StringComparison.Ordinal))
        {
            return new DomainLookup(DomainState.AliasDomain, target.ToLowerInvariant());
        }

        bool local = await ScalarAsync(session, QueryKind.Domain, "@" + domain, cancellationToken).ConfigureAwait(false) is not null;
        return new DomainLookup(local ? DomainState.Local : DomainState.NotLocal, null);
    }

    /// <summary>The targets of an active alias (rows joined with commas, as Postfix joins multiple results), or null.</summary>
    public async Task<string?> GetAliasTargetsAsync(LookupSession session, string address, CancellationToken cancellationToken)
    {
        DbCommand command = Create(session, QueryKind.Alias, address);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        StringBuilder? targets = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(0))
            {
                targets = targets is null ? new StringBuilder() : targets.Append(',');
                targets.Append(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        return targets?.ToString();
    }

    public async Task<bool> IsActiveMailboxAsync(LookupSession session, string address, CancellationToken cancellationToken) =>
        await ScalarAsync(session, QueryKind.Mailbox, address, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The stored password of an active mailbox in an active domain, or null.</summary>
    public async Task<string?> GetPasswordAsync(LookupSession session, string address, CancellationToken cancellationToken) =>
        AsString(await ScalarAsync(session, QueryKind.Password, address, cancellationToken).ConfigureAwait(false));

    /// <summary>The quota in bytes; 0 when unlimited, unknown or not a number.</summary>
    public async Task<long> GetQuotaAsync(LookupSession session, string address, CancellationToken cancellationToken)
    {
        object? value = await ScalarAsync(session, QueryKind.Quota, address, cancellationToken).ConfigureAwait(false);
        return value switch
        {
            null => 0,
            string text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) ? Math.Max(0, parsed) : 0,
            _ => Math.Max(0, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>A user's own hourly limits (messages, recipients); a NULL, missing or unreadable value is null (the default).</summary>
    public async Task<UserSendingLimits> GetSendingLimitsAsync(LookupSession session, string address, CancellationToken cancellationToken)
    {
        DbCommand command = Create(session, QueryKind.SendingLimits, address);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return UserSendingLimits.Defaults;
        }

        return new UserSendingLimits(Limit(reader, 0), reader.FieldCount > 1 ? Limit(reader, 1) : null);

        static int? Limit(DbDataReader reader, int column)
        {
            if (reader.IsDBNull(column))
            {
                return null;
            }

            string? text = Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture);
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0 ? value : null;
        }
    }

    /// <summary>The user's own spam-to-Junk switch; NULL, no row or a value that is not a truth value is null (the default).</summary>
    public async Task<bool?> GetSpamToJunkAsync(LookupSession session, string address, CancellationToken cancellationToken)
    {
        object? value = await ScalarAsync(session, QueryKind.SpamToJunk, address, cancellationToken).ConfigureAwait(false);
        return value switch
        {
            null => null,
            bool flag => flag,
            string text when bool.TryParse(text, out bool parsed) => parsed,
            string text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) ? number != 0 : null,
            IConvertible number => Convert.ToInt64(number, CultureInfo.InvariantCulture) != 0,
            _ => null,
        };
    }

    private async Task<object?> ScalarAsync(LookupSession session, QueryKind kind, string address, CancellationToken cancellationToken)
    {
        DbCommand command = Create(session, kind, address);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>The session's command for <paramref name="kind"/>, bound for <paramref name="address"/>; the session owns it.</summary>
    private DbCommand Create(LookupSession session, QueryKind kind, string address) =>
        session.Command(kind, _sql[kind], _commandTimeoutSeconds, address);

    private static string? AsString(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    [GeneratedRegex("'(?:[^']|'')*'", RegexOptions.CultureInvariant)]
    private static partial Regex StringLiteral();

    // "@name" not preceded by a word character or another "@" (MySQL's @@system_variable, an address inside a name).
    [GeneratedRegex(@"(?<![\w@])@(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterReference();
}

using System.Globalization;
using Mailroom.Core;
using System.Data.Common;
using Mailroom.Directory.Sql;

namespace Mailroom.Directory.Admin;

/// <summary>Users (postfixadmin's <c>mailbox</c> rows, each with its self-alias row).</summary>
public sealed partial class DirectoryAdmin
{
    /// <summary>
    /// Creates an active mailbox with the password hashed as <c>{BLF-CRYPT}</c>, maildir <c>domain/user/</c>,
    /// and postfixadmin's self-alias row (<c>user@domain → user@domain</c>).
    /// </summary>
    public Task AddUserAsync(string address, string password, string? name = null, long? quotaBytes = null, CancellationToken cancellationToken = default)
    {
        EmailAddress user = ParseMailboxAddress(address);
        ValidatePassword(password);
        if (quotaBytes < 0)
        {
            throw new DirectoryAdminException($"quota must be zero (unlimited) or a positive number of bytes, not {quotaBytes}");
        }

        string key = user.Key;
        string hash = _schemes.Hash(password);
        return WriteAsync(async (connection, transaction) =>
        {
            await RequireLocalDomainAsync(connection, transaction, user.Domain, allowAliasDomain: false, cancellationToken).ConfigureAwait(false);
            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM mailbox WHERE username = @p0;", cancellationToken, key).ConfigureAwait(false) is not null)
            {
                throw new DirectoryAdminException($"user {key} already exists");
            }

            if (await ScalarAsync(connection, transaction, "SELECT 1 FROM alias WHERE address = @p0;", cancellationToken, key).ConfigureAwait(false) is not null)
            {
                throw new DirectoryAdminException($"{key} is an alias; remove it first with: mailroom alias remove {key}");
            }

            string localPart = key[..key.LastIndexOf('@')];
            DateTime now = Now();
            await ExecuteAsync(
                connection,
                transaction,
                """
                INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, modified, active)
                VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p7, TRUE);
                """,
                cancellationToken,
                key,
                hash,
                name ?? string.Empty,
                user.Domain + "/" + localPart + "/",
                quotaBytes ?? 0L,
                localPart,
                user.Domain,
                now).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (@p0, @p0, @p1, @p2, @p2, TRUE);", cancellationToken, key, user.Domain, now).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public Task SetPasswordAsync(string address, string password, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        ValidatePassword(password);
        string hash = _schemes.Hash(password);
        return WriteAsync(async (connection, transaction) =>
        {
            int changed = await ExecuteAsync(connection, transaction, "UPDATE mailbox SET password = @p1, modified = @p2 WHERE username = @p0;", cancellationToken, key, hash, Now()).ConfigureAwait(false);
            return changed == 0 ? throw UserNotFound(key) : 0;
        }, cancellationToken);
    }

    /// <summary>Sets the quota in bytes (postfixadmin's <c>mailbox.quota</c>; 0 = unlimited).</summary>
    public Task SetQuotaAsync(string address, long quotaBytes, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        if (quotaBytes < 0)
        {
            throw new DirectoryAdminException($"quota must be zero (unlimited) or a positive number of bytes, not {quotaBytes}");
        }

        return WriteAsync(async (connection, transaction) =>
        {
            int changed = await ExecuteAsync(connection, transaction, "UPDATE mailbox SET quota = @p1, modified = @p2 WHERE username = @p0;", cancellationToken, key, quotaBytes, Now()).ConfigureAwait(false);
            return changed == 0 ? throw UserNotFound(key) : 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Sets a user's hourly sending limits (Mailroom's <c>mailbox.messages_per_hour</c> and <c>recipients_per_hour</c>):
    /// null = the configured default, 0 = unlimited. A postfixadmin database needs the two columns added first; the
    /// error says how.
    /// </summary>
    public Task SetSendingLimitsAsync(string address, int? messagesPerHour, int? recipientsPerHour, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        if (messagesPerHour < 0 || recipientsPerHour < 0)
        {
            throw new DirectoryAdminException("a sending limit must be zero (unlimited) or a positive number");
        }

        string messages = messagesPerHour is null ? "NULL" : "@p2";
        string recipients = recipientsPerHour is null ? "NULL" : "@p3";
        return UpdateOwnColumnsAsync(
            key,
            $"messages_per_hour = {messages}, recipients_per_hour = {recipients}",
            "no sending-limit columns",
            "ADD COLUMN messages_per_hour integer NULL, ADD COLUMN recipients_per_hour integer NULL",
            cancellationToken,
            messagesPerHour ?? 0,
            recipientsPerHour ?? 0);
    }

    /// <summary>
    /// Sets where spam-marked mail to a user goes (Mailroom's <c>mailbox.spam_to_junk</c>): true = the Junk folder,
    /// false = INBOX, null = the configured default (<c>Delivery:SpamToJunk</c>). A postfixadmin database needs the
    /// column added first; the error says how.
    /// </summary>
    public Task SetSpamToJunkAsync(string address, bool? toJunk, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        string value = toJunk switch { null => "NULL", true => "1", false => "0" };
        return UpdateOwnColumnsAsync(key, $"spam_to_junk = {value}", "no spam_to_junk column",
            "ADD COLUMN spam_to_junk integer NULL", cancellationToken);
    }

    /// <summary>
    /// Updates Mailroom's own columns of one mailbox row (<c>@p0</c> is the user, <c>@p1</c> the modification time,
    /// <paramref name="values"/> are <c>@p2</c> on). NULL is written as a literal in <paramref name="assignments"/>: a
    /// NULL parameter is typed as text, which PostgreSQL will not put in an integer column. postfixadmin's schema lacks
    /// these columns: the error then gives the ALTER TABLE that adds them.
    /// </summary>
    private Task UpdateOwnColumnsAsync(string key, string assignments, string missing, string addColumns, CancellationToken cancellationToken,
        params object[] values) =>
        WriteAsync(async (connection, transaction) =>
        {
            int changed;
            try
            {
                changed = await ExecuteAsync(
                    connection,
                    transaction,
                    $"UPDATE mailbox SET {assignments}, modified = @p1 WHERE username = @p0;",
                    cancellationToken,
                    [key, Now(), .. values]).ConfigureAwait(false);
            }
            catch (DbException ex) when (_database.IsStatementError(ex))
            {
                throw new DirectoryAdminException($"the mailbox table has {missing} ({ex.Message}); run once: ALTER TABLE mailbox {addColumns}");
            }

            return changed == 0 ? throw UserNotFound(key) : 0;
        }, cancellationToken);

    /// <summary>Lists users, of one domain or all, ordered by address.</summary>
    public Task<IReadOnlyList<UserInfo>> ListUsersAsync(string? domain = null, CancellationToken cancellationToken = default)
    {
        string? name = domain is null ? null : NormalizeDomain(domain);
        return ReadAsync<IReadOnlyList<UserInfo>>(async connection =>
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT username, name, maildir, quota, active, created FROM mailbox
                WHERE @domain IS NULL OR domain = @domain ORDER BY domain, local_part;
                """;
            SqlParameters.Add(command, "@domain", name);
            var users = new List<UserInfo>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                users.Add(new UserInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), AdminValues.ToBool(reader.GetValue(4)), AdminValues.ToTime(reader.GetValue(5))));
            }

            return users;
        }, cancellationToken);
    }

    /// <summary>Disables (no login, no delivery: RCPT is refused) or re-enables a user.</summary>
    public Task SetUserActiveAsync(string address, bool active, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        return WriteAsync(async (connection, transaction) =>
        {
            int changed = await ExecuteAsync(connection, transaction, "UPDATE mailbox SET active = @p1, modified = @p2 WHERE username = @p0;", cancellationToken, key, active, Now()).ConfigureAwait(false);
            return changed == 0 ? throw UserNotFound(key) : 0;
        }, cancellationToken);
    }

    /// <summary>Removes the mailbox row and its alias row (as postfixadmin does); the Maildir on disk is kept.</summary>
    public Task RemoveUserAsync(string address, CancellationToken cancellationToken = default)
    {
        string key = ParseMailboxAddress(address).Key;
        return WriteAsync(async (connection, transaction) =>
        {
            int changed = await ExecuteAsync(connection, transaction, "DELETE FROM mailbox WHERE username = @p0;", cancellationToken, key).ConfigureAwait(false);
            if (changed == 0)
            {
                throw UserNotFound(key);
            }

            await ExecuteAsync(connection, transaction, "DELETE FROM alias WHERE address = @p0;", cancellationToken, key).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    private static DirectoryAdminException UserNotFound(string key) =>
        new($"user {key} does not exist; see: mailroom user list {key[(key.LastIndexOf('@') + 1)..]}");

    /// <summary>A mailbox address: valid syntax, and a local part that is safe as a Maildir directory name.</summary>
    private static EmailAddress ParseMailboxAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!EmailAddress.TryParse(address.Trim(), out EmailAddress? parsed) || parsed!.Domain.StartsWith('['))
        {
            throw new DirectoryAdminException($"'{address}' is not a valid address (expected user@example.org)");
        }

        if (parsed.LocalPart.StartsWith('"') || parsed.LocalPart.AsSpan().ContainsAny("/\\"))
        {
            throw new DirectoryAdminException($"'{address}': a mailbox name cannot be quoted or contain '/' or '\\' (it names a directory)");
        }

        return parsed;
    }

    private static void ValidatePassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            throw new DirectoryAdminException("the password must not be empty");
        }

        // NUL ends a C string (crypt(3), Dovecot) and CR/LF cannot be typed into any mail client's login.
        if (password.AsSpan().ContainsAny("\0\r\n"))
        {
            throw new DirectoryAdminException("the password must not contain NUL, CR or LF characters");
        }
    }
}

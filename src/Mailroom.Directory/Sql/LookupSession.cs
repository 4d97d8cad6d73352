using System.Data.Common;

namespace Mailroom.Directory.Sql;

/// <summary>
/// An open connection with one command per lookup kind, built on first use and re-bound for every later lookup
/// on this connection. Where the database keeps sessions between lookups (SQLite), each command is prepared once
/// per connection, so a lookup only binds values and steps the statement. A session is used by one lookup at a
/// time (commands are not thread-safe); <see cref="DirectoryDatabase"/> hands it out and takes it back.
/// </summary>
internal sealed class LookupSession : IDisposable, IAsyncDisposable
{
    private readonly Dictionary<QueryKind, DbCommand> _commands = [];
    private readonly bool _prepare;

    /// <param name="connection">An open connection, owned by the session from now on.</param>
    /// <param name="prepare">True to prepare each command once, when it is built (the session outlives the lookup).</param>
    public LookupSession(DbConnection connection, bool prepare)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _prepare = prepare;
    }

    public DbConnection Connection { get; }

    /// <summary>True once the session has been kept idle and handed out again (its connection may have died meanwhile).</summary>
    public bool Reused { get; set; }

    /// <summary>Statements prepared on this connection so far.</summary>
    public int PreparedCount { get; private set; }

    /// <summary>
    /// The command for <paramref name="kind"/> with <c>@user</c>, <c>@address</c>, <c>@local_part</c> and
    /// <c>@domain</c> bound for <paramref name="address"/>. It stays owned by the session: callers dispose
    /// their readers, never the command.
    /// </summary>
    public DbCommand Command(QueryKind kind, string sql, int commandTimeoutSeconds, string address)
    {
        int at = address.LastIndexOf('@');
        string localPart = at < 0 ? address : address[..at];
        string domain = at < 0 ? string.Empty : address[(at + 1)..];
        if (_commands.TryGetValue(kind, out DbCommand? command))
        {
            DbParameterCollection parameters = command.Parameters;
            parameters[0].Value = address;
            parameters[1].Value = address;
            parameters[2].Value = localPart;
            parameters[3].Value = domain;
            return command;
        }

        command = Connection.CreateCommand();
        try
        {
            command.CommandText = sql;
            command.CommandTimeout = commandTimeoutSeconds;
            SqlParameters.Add(command, "@user", address);
            SqlParameters.Add(command, "@address", address);
            SqlParameters.Add(command, "@local_part", localPart);
            SqlParameters.Add(command, "@domain", domain);
            if (_prepare)
            {
                command.Prepare();
                PreparedCount++;
            }
        }
        catch
        {
            command.Dispose();
            throw;
        }

        _commands.Add(kind, command);
        return command;
    }

    public void Dispose()
    {
        foreach (DbCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DbCommand command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

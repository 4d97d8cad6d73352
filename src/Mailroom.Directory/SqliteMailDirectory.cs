using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>
/// The directory in the embedded SQLite file. Each call runs on a kept connection with prepared statements
/// and no open transaction, so the CLI's writes from another process are seen by the next lookup (no lookup
/// cache by default).
/// </summary>
public sealed class SqliteMailDirectory : SqlMailDirectory
{
    public SqliteMailDirectory(
        SqliteDirectoryDatabase database,
        PasswordSchemes schemes,
        IOptions<DirectoryOptions> options,
        ILogger<SqliteMailDirectory> logger,
        TimeProvider timeProvider)
        : base(database, schemes, options, logger, timeProvider)
    {
    }
}

using Mailroom.Directory.Passwords;
using Mailroom.Directory.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>The directory in a PostgreSQL database, such as the one postfixadmin manages.</summary>
public sealed class PostgresMailDirectory : SqlMailDirectory
{
    public PostgresMailDirectory(
        PostgresDirectoryDatabase database,
        PasswordSchemes schemes,
        IOptions<DirectoryOptions> options,
        ILogger<PostgresMailDirectory> logger,
        TimeProvider timeProvider)
        : base(database, schemes, options, logger, timeProvider)
    {
    }
}

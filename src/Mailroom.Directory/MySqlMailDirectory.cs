using Mailroom.Directory.MySql;
using Mailroom.Directory.Passwords;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>The directory in a MariaDB/MySQL database, such as the one postfixadmin manages.</summary>
public sealed class MySqlMailDirectory : SqlMailDirectory
{
    public MySqlMailDirectory(
        MySqlDirectoryDatabase database,
        PasswordSchemes schemes,
        IOptions<DirectoryOptions> options,
        ILogger<MySqlMailDirectory> logger,
        TimeProvider timeProvider)
        : base(database, schemes, options, logger, timeProvider)
    {
    }
}

namespace Mailroom.Directory;

/// <summary>The database behind the directory (<c>Directory:Provider</c>).</summary>
public enum DirectoryProvider
{
    /// <summary>The embedded SQLite file in the data directory.</summary>
    Sqlite,

    /// <summary>MariaDB or MySQL, through MySqlConnector.</summary>
    MySql,

    /// <summary>PostgreSQL, through Npgsql.</summary>
    PostgreSql,
}

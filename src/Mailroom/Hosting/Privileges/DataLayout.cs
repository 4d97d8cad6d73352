namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Where the server keeps its data, as configured: directories that belong to it alone (the data directory, the mail
/// store, the queue, the self-signed TLS files), and single files that may sit in someone else's directory (a SQLite
/// directory database or the mail log configured elsewhere). The mail store is named apart: it holds nearly every
/// file, so it is walked only when it has not been the service user's yet.
/// </summary>
internal sealed record DataLayout(string DataDirectory, string MailStore, IReadOnlyList<string> Directories, IReadOnlyList<string> Files)
{
    /// <summary>SQLite's companions of a database file (WAL, shared memory, rollback journal).</summary>
    public static IEnumerable<string> WithSqliteCompanions(string database) =>
        [database, database + "-wal", database + "-shm", database + "-journal"];

    /// <summary>Each directory once, outermost first, without those inside another one of the list.</summary>
    public IReadOnlyList<string> Roots()
    {
        var roots = new List<string>();
        foreach (string directory in Directories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(d => d.Length))
        {
            if (!roots.Any(root => IsInside(directory, root)))
            {
                roots.Add(directory);
            }
        }

        return roots;
    }

    /// <summary>The files that lie outside every directory of the layout.</summary>
    public IEnumerable<string> LooseFiles() =>
        Files.Select(Path.GetFullPath).Where(file => !Directories.Any(directory => IsInside(file, Path.GetFullPath(directory))));

    public static bool IsInside(string path, string directory) =>
        string.Equals(path, directory, StringComparison.Ordinal)
        || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);
}

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>
/// Finds APPEND spool files this process holds open under a directory, through <c>/proc/self/fd</c> (Linux): the
/// server unlinks them at once, so an open descriptor is the only trace of one.
/// </summary>
internal static class SpoolFiles
{
    public static bool CanObserve => System.IO.Directory.Exists("/proc/self/fd");

    public static List<string> OpenUnder(string directory)
    {
        var found = new List<string>();
        foreach (string fd in System.IO.Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                // Closed while we looked.
                continue;
            }

            if (target is not null && target.StartsWith(directory, StringComparison.Ordinal) && target.Contains("mailroom-append-", StringComparison.Ordinal))
            {
                found.Add(target);
            }
        }

        return found;
    }

    /// <summary>Polls (bounded) until the number of spool files open under <paramref name="directory"/> satisfies <paramref name="done"/>.</summary>
    public static async Task<List<string>> WaitAsync(string directory, Func<int, bool> done)
    {
        List<string> open = OpenUnder(directory);
        for (int i = 0; i < 500 && !done(open.Count); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            open = OpenUnder(directory);
        }

        return open;
    }
}

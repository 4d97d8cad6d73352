namespace Mailroom.Queue.Admin;

/// <summary>How many messages one queue state holds and how long the oldest has waited.</summary>
public sealed record QueueStateStatistics(string State, int Messages, TimeSpan OldestAge);

/// <summary>
/// Counts the queue's files by state (Postfix's <c>qshape</c> in one line each): what the metrics endpoint and
/// <c>mailroom status</c> show. Reads directory entries and their modification times only, never a queue file, so it
/// is safe beside the running queue manager; a file that moves while it is counted is counted once or not at all.
/// </summary>
public static class QueueStatistics
{
    /// <summary>The states in the order an admin reads them.</summary>
    public static readonly IReadOnlyList<string> States = ["incoming", "active", "deferred", "hold", "corrupt"];

    public static IReadOnlyList<QueueStateStatistics> Read(string queueDirectory, DateTimeOffset now)
    {
        var directories = new QueueDirectories(queueDirectory);
        string[] paths = [directories.Incoming, directories.Active, directories.Deferred, directories.Hold, directories.Corrupt];
        var result = new List<QueueStateStatistics>(paths.Length);
        for (int i = 0; i < paths.Length; i++)
        {
            int count = 0;
            DateTime oldest = DateTime.MaxValue;
            if (System.IO.Directory.Exists(paths[i]))
            {
                foreach (FileInfo file in new DirectoryInfo(paths[i]).EnumerateFiles())
                {
                    try
                    {
                        DateTime written = file.LastWriteTimeUtc;
                        count++;
                        oldest = written < oldest ? written : oldest;
                    }
                    catch (FileNotFoundException)
                    {
                        // Delivered or moved while counting.
                    }
                }
            }

            TimeSpan age = count == 0 ? TimeSpan.Zero : now.UtcDateTime - oldest;
            result.Add(new QueueStateStatistics(States[i], count, age < TimeSpan.Zero ? TimeSpan.Zero : age));
        }

        return result;
    }
}

using Mailroom.Core;

namespace Mailroom.Queue.Admin;

/// <summary>
/// The queue's files as the administrator sees them: listing, and the moves and deletions behind delete,
/// hold and release. Used by the running queue manager (under each entry's gate) and, when no server runs,
/// by the CLI directly (under the queue lock).
/// </summary>
internal static class QueueFileOperations
{
    public static IReadOnlyList<QueuedMessageInfo> List(QueueDirectories directories)
    {
        var messages = new List<QueuedMessageInfo>();
        foreach ((string state, string directory) in new[] { ("active", directories.Active), ("deferred", directories.Deferred), ("hold", directories.Hold) })
        {
            if (!System.IO.Directory.Exists(directory))
            {
                continue;
            }

            foreach (string path in System.IO.Directory.EnumerateFiles(directory))
            {
                string id = Path.GetFileName(path);
                if (!QueueId.IsValid(id))
                {
                    continue;
                }

                try
                {
                    messages.Add(Describe(directories, id, path, state));
                }
                catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or EndOfStreamException)
                {
                    // Delivered (or unreadable) while listing: not a message to show.
                }
            }
        }

        return [.. messages.OrderBy(m => m.ArrivalTime)];
    }

    /// <summary>Finds the directory holding <paramref name="id"/>, or null.</summary>
    public static string? Locate(QueueDirectories directories, string id)
    {
        foreach (string directory in (ReadOnlySpan<string>)[directories.Active, directories.Deferred, directories.Hold])
        {
            if (File.Exists(Path.Combine(directory, id)))
            {
                return directory;
            }
        }

        return null;
    }

    /// <summary>Deletes a message's data file and sidecars wherever they are.</summary>
    public static bool Delete(QueueDirectories directories, string id)
    {
        bool found = false;
        foreach (string directory in (ReadOnlySpan<string>)[directories.Active, directories.Deferred, directories.Hold])
        {
            string path = Path.Combine(directory, id);
            if (File.Exists(path))
            {
                File.Delete(path);
                found = true;
            }

            File.Delete(path + RecipientStatusFile.Extension);
        }

        File.Delete(Path.Combine(directories.Defer, id));
        return found;
    }

    /// <summary>Moves a message (data file first, then its sidecar) from wherever it is into <paramref name="target"/>.</summary>
    public static bool Move(QueueDirectories directories, string id, string target)
    {
        string? source = Locate(directories, id);
        if (source is null)
        {
            return false;
        }

        if (source != target)
        {
            System.IO.Directory.CreateDirectory(target);
            File.Move(Path.Combine(source, id), Path.Combine(target, id), overwrite: true);
            foreach (string directory in (ReadOnlySpan<string>)[directories.Active, directories.Deferred, directories.Hold])
            {
                string status = Path.Combine(directory, id + RecipientStatusFile.Extension);
                if (directory != target && File.Exists(status))
                {
                    File.AppendAllBytes(Path.Combine(target, id + RecipientStatusFile.Extension), File.ReadAllBytes(status));
                    File.Delete(status);
                }
            }
        }

        return true;
    }

    /// <summary>Makes a message due now: a <c>retry</c> line in the past keeps its attempt count.</summary>
    public static void MakeDue(QueueDirectories directories, string directory, string id)
    {
        string path = Path.Combine(directory, id);
        var (envelope, _, _) = QueueFile.ReadHeader(path);
        var snapshot = new StatusSnapshot(envelope.Recipients.Count);
        RecipientStatusFile.Load(Path.Combine(directories.Defer, id), snapshot);
        System.IO.Directory.CreateDirectory(directories.Defer);
        using var status = new RecipientStatusFile(Path.Combine(directories.Defer, id));
        status.AppendRetry(DateTimeOffset.UnixEpoch, snapshot.Attempts);
    }

    private static QueuedMessageInfo Describe(QueueDirectories directories, string id, string path, string state)
    {
        var (envelope, _, size) = QueueFile.ReadHeader(path);
        var snapshot = new StatusSnapshot(envelope.Recipients.Count);
        foreach (string directory in (ReadOnlySpan<string>)[directories.Active, directories.Deferred, directories.Hold])
        {
            RecipientStatusFile.Load(Path.Combine(directory, id + RecipientStatusFile.Extension), snapshot);
        }

        RecipientStatusFile.Load(Path.Combine(directories.Defer, id), snapshot);

        var recipients = new List<QueuedRecipientInfo>();
        for (int i = 0; i < envelope.Recipients.Count; i++)
        {
            if (snapshot.States[i] == RecipientState.Pending)
            {
                Delivery.RecipientOutcome? last = snapshot.LastOutcomes[i];
                recipients.Add(new QueuedRecipientInfo(envelope.Recipients[i].Address, last?.Dsn, last?.Text));
            }
        }

        DateTimeOffset? next = snapshot.NextAttempt is { } n && n > DateTimeOffset.UnixEpoch ? n : null;
        return new QueuedMessageInfo(id, state, size, envelope.ArrivalTime, envelope.Sender, state == "hold" ? null : next, recipients)
        {
            Authentication = envelope.Authentication,
            Quarantine = envelope.Quarantine,
            Spam = envelope.Spam,
            HoldReason = state == "hold" ? envelope.HoldReason : null,
        };
    }
}

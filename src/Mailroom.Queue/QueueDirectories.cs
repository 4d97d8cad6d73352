using Mailroom.Store;

namespace Mailroom.Queue;

/// <summary>
/// The queue's directories, named after Postfix's queues: <c>incoming/</c> (being written, never
/// acknowledged), <c>active/</c> (committed), <c>deferred/</c> (waiting for a retry), <c>corrupt/</c>
/// (unreadable files set aside for the administrator).
/// </summary>
internal sealed class QueueDirectories
{
    public QueueDirectories(string root)
    {
        Root = Path.GetFullPath(root);
        Incoming = Path.Combine(Root, "incoming");
        Active = Path.Combine(Root, "active");
        Deferred = Path.Combine(Root, "deferred");
        Corrupt = Path.Combine(Root, "corrupt");
    }

    public string Root { get; }

    public string Incoming { get; }

    public string Active { get; }

    public string Deferred { get; }

    public string Corrupt { get; }

    /// <summary>Group commit of the fsyncs of <c>active/</c> after renames into it.</summary>
    public DirectorySyncGroup Sync { get; } = new();

    /// <summary>Creates missing directories and makes their entries durable.</summary>
    public void EnsureCreated()
    {
        bool created = false;
        foreach (string dir in (ReadOnlySpan<string>)[Incoming, Active, Deferred, Corrupt])
        {
            if (!System.IO.Directory.Exists(dir))
            {
                System.IO.Directory.CreateDirectory(dir);
                created = true;
            }
        }

        if (created)
        {
            DurableFile.FlushDirectory(Root);
            string? parent = Path.GetDirectoryName(Root);
            if (parent is not null)
            {
                DurableFile.FlushDirectory(parent);
            }
        }
    }
}

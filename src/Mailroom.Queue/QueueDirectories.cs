using Mailroom.IO;

namespace Mailroom.Queue;

/// <summary>
/// The queue's directories, named after Postfix's queues: <c>incoming/</c> (being written, never
/// acknowledged), <c>active/</c> (committed), <c>deferred/</c> (waiting for a retry), <c>corrupt/</c>
/// (unreadable files set aside for the administrator), <c>hold/</c> (kept until released by the administrator), <c>defer/</c> (why and until when a message waits).
/// Next to them, <c>control.sock</c> is the running queue manager's admin socket and <c>lock</c> is held
/// (flock) by the process that owns the queue.
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
        Hold = Path.Combine(Root, "hold");
        Defer = Path.Combine(Root, "defer");
        ControlSocket = Path.Combine(Root, "control.sock");
        LockFile = Path.Combine(Root, "lock");
    }

    public string Root { get; }

    public string Incoming { get; }

    public string Active { get; }

    public string Deferred { get; }

    public string Corrupt { get; }

    public string Hold { get; }

    /// <summary>Per-message defer logs (Postfix's <c>defer/</c>): deferral reasons and the retry schedule.</summary>
    public string Defer { get; }

    public string ControlSocket { get; }

    public string LockFile { get; }

    /// <summary>Group commit of the fsyncs of <c>active/</c> after renames into it.</summary>
    public DirectorySyncGroup Sync { get; } = new();

    /// <summary>Creates missing directories and makes their entries durable.</summary>
    public void EnsureCreated()
    {
        bool created = false;
        foreach (string dir in (ReadOnlySpan<string>)[Incoming, Active, Deferred, Corrupt, Hold, Defer])
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

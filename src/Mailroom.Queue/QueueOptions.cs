using System.ComponentModel.DataAnnotations;

namespace Mailroom.Queue;

/// <summary>Options of the mail queue, bound from the configuration section <c>Queue</c>.</summary>
public sealed class QueueOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Queue";

    /// <summary>
    /// The spool directory (<c>incoming/</c>, <c>active/</c>, <c>deferred/</c>, <c>corrupt/</c> below it).
    /// Default <c>data/queue</c>, the layout of the data directory (the host sets <c>&lt;data&gt;/queue</c>).
    /// </summary>
    [Required]
    [MinLength(1)]
    public string QueueDirectory { get; set; } = Path.Combine("data", "queue");

    /// <summary>
    /// How many deliveries run at once. Default twice the processor count: deliveries mostly wait on
    /// fsync and the network, so a few more than the cores keep the disk busy without thrashing it
    /// (Postfix's default process limit is 100 agents, which suits remote delivery, not a 2-core box).
    /// </summary>
    [Range(1, 1024)]
    public int DeliveryConcurrency { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>
    /// Deliver a message whose every recipient is a local mailbox into the mailboxes before answering its DATA, instead
    /// of fsyncing it into the queue and delivering it after (one file and one directory fsync per message instead of two
    /// of each). A recipient that cannot be delivered at once is left to the queue as usual. Default on; off puts every
    /// message through the queue, as Postfix does.
    /// </summary>
    public bool DirectLocalDelivery { get; set; } = true;

    /// <summary>
    /// The largest message (bytes, trace headers included) that direct local delivery holds in memory while it is
    /// received, so that no spool file is created for it: the only file written is each mailbox copy (fsynced before the
    /// <c>250</c>), and a spool file is written (and fsynced) only when a recipient is deferred. A larger message, or one
    /// a milter edits, goes to a spool file as soon as it passes the limit. Each receiving session holds at most this
    /// much. Default 128 KiB (most mail is smaller); 0 spools every message.
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int DirectMemoryLimit { get; set; } = 128 * 1024;

    /// <summary>
    /// The first retry delay of a deferred message; each further attempt doubles it. Default 300 s,
    /// Postfix's <c>minimal_backoff_time</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinimalBackoff { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The longest retry delay. Default 4000 s, Postfix's <c>maximal_backoff_time</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaximalBackoff { get; set; } = TimeSpan.FromSeconds(4000);

    /// <summary>
    /// How long a message may stay deferred before its remaining recipients are bounced as undeliverable.
    /// Default 5 days, Postfix's <c>maximal_queue_lifetime</c> (RFC 5321 §4.5.4.1: "at least 4-5 days").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "100.00:00:00")]
    public TimeSpan MaximalQueueLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// The host name in DSNs (<c>Reporting-MTA</c>, <c>MAILER-DAEMON@host</c>). Default the machine's host
    /// name, as Postfix's <c>myhostname</c>.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>
    /// After how long in the queue the sender gets a "delayed" warning (RFC 3464 Action: delayed). Default
    /// zero, off, as Postfix's <c>delay_warning_time = 0h</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "100.00:00:00")]
    public TimeSpan DelayWarningTime { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Largest original message returned whole in a non-delivery notice; larger ones return only their
    /// headers. Default 50000 bytes, Postfix's <c>bounce_size_limit</c>.
    /// </summary>
    [Range(0, int.MaxValue)]
    public long BounceSizeLimit { get; set; } = 50_000;

    /// <summary>
    /// Free bytes the spool's file system must keep: MAIL is answered <c>452 4.3.1 Insufficient system storage</c>
    /// when taking the message (its SIZE= when declared) would leave less (Postfix's <c>queue_minfree</c>). The host
    /// sets 1.5 × <c>Smtp:MaxMessageSize</c> unless configured, the floor Postfix documents, so one message of the
    /// largest size always fits; 0 checks only that a declared size is below half the free space.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeSpace { get; set; }
}

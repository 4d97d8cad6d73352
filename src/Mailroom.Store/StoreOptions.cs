using System.ComponentModel.DataAnnotations;

namespace Mailroom.Store;

/// <summary>Options of the mailbox store, bound from the configuration section <c>Store</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Store";

    /// <summary>
    /// Root of the mail store: mailbox <c>user@domain</c> is the Maildir <c>&lt;MailRoot&gt;/&lt;domain&gt;/&lt;user&gt;/</c>.
    /// Default <c>data/mail</c>, the layout of the data directory (the host sets <c>&lt;data&gt;/mail</c>).
    /// </summary>
    [Required]
    [MinLength(1)]
    public string MailRoot { get; set; } = Path.Combine("data", "mail");

    /// <summary>
    /// How many released folders stay loaded after their last session (IMAP, or POP3's INBOX) let go, most recently
    /// released kept. Default 64: enough for the folders a few busy users poll with STATUS, SELECT or a POP3 login, so
    /// reopening a big mailbox is a <see cref="Mailboxes.MailFolder.Refresh"/> (microseconds when nothing changed)
    /// instead of a reload (tens of milliseconds for 10,000 messages). 0 unloads a folder as soon as its last lease is disposed.
    /// </summary>
    [Range(0, 4096)]
    public int IdleFolderCacheSize { get; set; } = 64;

    /// <summary>
    /// The total messages the released folders kept loaded may hold; the least recently released go first beyond it,
    /// and a folder bigger than this is not kept. Default 200,000 (roughly 100 MB at about 500 bytes per message with
    /// its cached ENVELOPE and BODYSTRUCTURE): bounds the cache's memory whatever the folder sizes.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int IdleFolderCacheMaxMessages { get; set; } = 200_000;

    /// <summary>
    /// How long a released folder stays loaded without being leased again. Default 10 minutes: longer than the few
    /// minutes clients commonly wait between new-mail checks (each a STATUS or SELECT), short enough that folders of
    /// users who left do not hold memory and an open index file for long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleFolderTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many users' index connections stay open after nobody holds the user any more (no session, no delivery under
    /// way), most recently used kept. Default 64. Opening and closing a user's SQLite index costs four fsyncs and four
    /// file creations or removals, so without this every delivery to a user with no session open paid them beside the
    /// message's own; each kept connection holds three descriptors and the few pages it used. 0 closes it at once.
    /// </summary>
    [Range(0, 4096)]
    public int IdleIndexCacheSize { get; set; } = 64;

    /// <summary>
    /// How long a kept index connection stays open without being used again. Default 5 minutes: longer than the gaps
    /// between messages to a user who receives mail steadily, short enough that users who only got one message do not
    /// hold descriptors for long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleIndexTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a folder that sessions hold is looked at for changes made by other programs, besides the file-system
    /// watch (inotify) that reports them at once. One poll per folder, not per session. Default 30 seconds: the watch
    /// does the work; the poll catches what a watch cannot see (a network file system, inotify limits reached).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FolderPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many expunged UIDs each loaded folder remembers with the mod-sequence they left at, for IMAP QRESYNC
    /// (RFC 7162 §3.2: VANISHED (EARLIER) on SELECT and UID FETCH). Past it the oldest are forgotten, and a client
    /// resynchronising from before them is sent every UID absent from the folder instead (larger, never wrong).
    /// Default 10,000 (about 160 KB per loaded folder at its bound, and as many rows in the Maildir index): many days
    /// of expunges for a busy mailbox. 0 remembers none (every QRESYNC then gets the larger answer). The Maildir store
    /// keeps them in its index, so they survive restarts; a lost index forgets those before it was rebuilt.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ExpungedUidMemory { get; set; } = 10_000;

    /// <summary>
    /// How many expunged messages, across every folder, are kept readable for the IMAP sessions that still show them
    /// because they have not been told of the EXPUNGE yet (RFC 2180 §4.1.1; RFC 3501 §7.4.1 delays that news until a
    /// command that may report it). Their FETCH, SEARCH, SORT and THREAD then answer as before the expunge. Each is an
    /// open handle to the removed Maildir file (or its bytes for the in-memory store), freed once the last session that
    /// shows it has reported the EXPUNGE or left; nothing is written for it, so a restart frees all. Default 4,096: far
    /// more than the messages sessions hold between two commands, few file handles beside the process limit. Past it,
    /// and for messages another program removed, RFC 2180 §4.1.3 applies: FETCH of such a message answers
    /// <c>NO [EXPUNGEISSUED]</c>, SEARCH leaves it out and ends <c>OK [EXPUNGEISSUED]</c>. 0 keeps none.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxHeldExpungedMessages { get; set; } = 4_096;

    /// <summary>
    /// How long a local delivery waits for its INBOX's lock to give the message its UID and index rows at delivery (as
    /// Dovecot's LMTP does), so that the first EXAMINE or SELECT reads an index instead of numbering and indexing the new
    /// mail. Deliveries to one folder share one uidlist append and one index write. When the lock stays busy longer (a
    /// reader numbering or indexing many files another program put there), the delivery answers anyway and leaves the
    /// numbering to the next reader, as the Maildir protocol does. Default 100 ms: far above an uncontended commit (about
    /// a millisecond) and small beside a delivery's own fsyncs. 0 never numbers at delivery (every delivery leaves it to
    /// the next reader, as before this setting existed).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan DeliveryIndexWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How a save makes its messages durable before the delivery is acknowledged (or APPEND/COPY answered).
    /// <see cref="StoreSyncMode.Files"/> (the default): an fsync per file and one per directory, shared by concurrent
    /// saves, as Dovecot's <c>mail_fsync = optimized</c> does. <see cref="StoreSyncMode.FileSystem"/>: the files are
    /// written and renamed without an fsync each, and every save under way on the file system waits for one shared
    /// syncfs(2), so concurrent deliveries cost one flush between them; needs Linux 5.8 or later (where syncfs reports
    /// write errors; the store uses <see cref="StoreSyncMode.Files"/> elsewhere and logs that once). It also writes back
    /// whatever else is dirty on that file system, so it suits a mail root on a file system of its own; measured side by
    /// side on a shared disk it was not consistently faster (bench/RESULTS.md), hence not the default.
    /// Either way a save returns only once its files and directory entries are on disk.
    /// </summary>
    [EnumDataType(typeof(StoreSyncMode))]
    public StoreSyncMode SyncMode { get; set; } = StoreSyncMode.Files;
}

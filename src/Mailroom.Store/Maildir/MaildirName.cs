using System.Globalization;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Unique Maildir file names in the qmail/Dovecot style, <c>&lt;secs&gt;.M&lt;usecs&gt;P&lt;pid&gt;Q&lt;n&gt;.&lt;host&gt;</c>:
/// the time, the process id and a per-process counter make the name unique without any lookup
/// (https://cr.yp.to/proto/maildir.html). The delivered name adds Dovecot's <c>,S=&lt;size&gt;</c> and
/// <c>,W=&lt;size with CRLF line ends&gt;</c> so that readers learn both without a stat or a read.
/// </summary>
internal sealed class MaildirName
{
    private static readonly int ProcessId = Environment.ProcessId;
    private readonly string _host = SanitizeHost(Environment.MachineName);
    private readonly TimeProvider _timeProvider;
    private long _counter;

    public MaildirName(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public string Next()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long seconds = now.ToUnixTimeSeconds();
        long micros = now.Ticks / 10 % 1_000_000;
        long n = Interlocked.Increment(ref _counter);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.M{micros}P{ProcessId}Q{n}.{_host}");
    }

    /// <summary>
    /// The stored name: the unique base plus the file size (Dovecot's <c>S=</c> field) and, when known (not negative),
    /// the wire size (<c>W=</c>, see <see cref="WireSizeCounter"/>).
    /// </summary>
    public static string WithSizes(string baseName, long size, long wireSize) => wireSize < 0
        ? string.Create(CultureInfo.InvariantCulture, $"{baseName},S={size}")
        : string.Create(CultureInfo.InvariantCulture, $"{baseName},S={size},W={wireSize}");

    // The Maildir specification replaces '/' and ':' in the host name; ',' would split Dovecot's fields.
    internal static string SanitizeHost(string host) =>
        host.Replace("/", "\\057", StringComparison.Ordinal)
            .Replace(":", "\\072", StringComparison.Ordinal)
            .Replace(",", "\\054", StringComparison.Ordinal);
}

using Mailroom.Core;
using Mailroom.Directory;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>Quota limits in bytes per mailbox, as the directory would give them (absent: no quota).</summary>
internal sealed class QuotaLimits : IMailboxQuotaLimits
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, reading a quota fails as a directory whose database is down.</summary>
    public bool Unavailable { get; set; }

    public void Set(string mailbox, long bytes)
    {
        lock (_bytes)
        {
            _bytes[mailbox] = bytes;
        }
    }

    public ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken)
    {
        if (Unavailable)
        {
            throw new DirectoryUnavailableException("database down");
        }

        lock (_bytes)
        {
            return ValueTask.FromResult(_bytes.GetValueOrDefault(mailbox));
        }
    }
}

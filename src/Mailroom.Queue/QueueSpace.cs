namespace Mailroom.Queue;

/// <summary>
/// The free-space floor of the spool's file system, checked at MAIL as Postfix's smtpd does (<c>queue_minfree</c>,
/// <c>smtpd_check_size</c>): a message is refused up front with a temporary error when taking it would leave less
/// than the floor free, or when its declared size is half or more of what is free — so a disk that is filling up turns
/// senders away before they send, rather than failing them after DATA.
/// </summary>
internal sealed class QueueSpace(string directory, long minimumFree)
{
    public long MinimumFree => minimumFree;

    /// <summary>True when a message of <paramref name="declaredSize"/> bytes (0: not declared) may be taken.</summary>
    public bool HasRoomFor(long declaredSize)
    {
        if (minimumFree <= 0 && declaredSize <= 0)
        {
            return true;
        }

        long free;
        try
        {
            free = new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Cannot tell: the write itself will say (452 4.3.1 on a full disk).
            return true;
        }

        return free - Math.Max(declaredSize, 0) >= minimumFree && (declaredSize <= 0 || declaredSize < free / 2);
    }
}

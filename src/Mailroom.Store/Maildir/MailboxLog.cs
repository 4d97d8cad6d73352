using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>Diagnostics of the Maildir folders and their index (not mail-log lines).</summary>
internal static partial class MailboxLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Index {Path} is unreadable; rebuilding it from the Maildir files and uidlists")]
    public static partial void IndexRebuilt(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Folder {Path} has no readable uidlist; new UIDVALIDITY {UidValidity}")]
    public static partial void UidListCreated(ILogger logger, string path, uint uidValidity);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Refreshing {Path} after a local delivery failed")]
    public static partial void DeliveryRefreshFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    public static partial void RemoveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Created folder {Name} for {User}")]
    public static partial void FolderCreated(ILogger logger, string user, string name);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Could not write cached message data to {Path}; it will be computed again")]
    public static partial void CachedWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "Could not watch {Path} for changes by other programs; polling it instead (logged once: other folders that cannot be watched are polled too; on Linux, raise fs.inotify.max_user_instances and fs.inotify.max_user_watches)")]
    public static partial void WatchFailed(ILogger logger, string path, Exception? exception);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Debug, Message = "Could not watch {Path} either ({Reason}); polling it instead")]
    public static partial void WatchFailedAgain(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Could not number delivered mail in {Path} at delivery; the next reader of the folder numbers it")]
    public static partial void DeliveryIndexFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Could not keep {Path} open for the sessions that still show it; it is removed, and their reads of it fail")]
    public static partial void HoldFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Refreshing {Path} after a change by another program failed")]
    public static partial void WatchRefreshFailed(ILogger logger, string path, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Mailroom.Store;

/// <summary>Diagnostics of the store (not mail-log lines).</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Created Maildir {Path}")]
    public static partial void MaildirCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Could not remove {Path} after a failed save")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Could not index {Message} while saving it; its cached fields will be computed when a client asks for them")]
    public static partial void IndexingFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Store:SyncMode is FileSystem, but syncfs does not report write errors on this system (Linux 5.8 or later needed): every file is fsynced instead")]
    public static partial void FileSystemSyncUnsupported(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "A Changed handler of folder {Name} of {User} failed")]
    public static partial void ChangedHandlerFailed(ILogger logger, string user, string name, Exception exception);
}

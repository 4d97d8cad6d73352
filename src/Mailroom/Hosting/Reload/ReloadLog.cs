using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Reload;

internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "reloading the configuration (SIGHUP)")]
    public static partial void Reloading(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "configuration reloaded: {Count} settings changed; certificates read again; sessions under way keep their settings")]
    public static partial void Reloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Key} changed: it takes effect at the next restart (bound at start)")]
    public static partial void NeedsRestart(ILogger logger, string key);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "configuration reload refused, the running configuration stays: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);
}

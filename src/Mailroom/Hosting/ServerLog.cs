using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting;

/// <summary>The master process's mail-log lines, in Postfix's words.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "daemon started -- version {Version}, configuration {DataDirectory}")]
    public static partial void Started(ILogger logger, string version, string dataDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "terminating on signal")]
    public static partial void Stopping(ILogger logger);
}

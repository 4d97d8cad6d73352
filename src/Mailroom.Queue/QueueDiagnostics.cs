using Microsoft.Extensions.Logging;

namespace Mailroom.Queue;

/// <summary>Diagnostics of the queue (not mail-log lines).</summary>
internal static partial class QueueDiagnostics
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Queue recovered from {Directory}: {Count} messages scheduled, {Dropped} unacknowledged incoming files dropped")]
    public static partial void Recovered(ILogger logger, string directory, int count, int dropped);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Queue file {Path} is unreadable; moved to corrupt/")]
    public static partial void Corrupt(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Delivery attempt of {QueueId} failed; retrying after backoff")]
    public static partial void AttemptFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Queue file of {QueueId} disappeared; forgetting the message")]
    public static partial void Vanished(ILogger logger, string queueId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Could not remove queue file {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Remote delivery of {QueueId} failed")]
    public static partial void RemoteAgentFailed(ILogger logger, string queueId, Exception exception);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Debug, Message = "Retry of {QueueId} scheduled in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, string queueId, TimeSpan delay);
}

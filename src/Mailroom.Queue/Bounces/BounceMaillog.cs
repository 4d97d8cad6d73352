using Microsoft.Extensions.Logging;

namespace Mailroom.Queue.Bounces;

/// <summary>The mail-log lines of Postfix's bounce daemon, on the <c>mailroom/bounce</c> logger.</summary>
internal static partial class BounceMaillog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "{QueueId}: sender non-delivery notification: {BounceId}")]
    public static partial void NonDelivery(ILogger logger, string queueId, string bounceId);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "{QueueId}: sender delay notification: {BounceId}")]
    public static partial void Delay(ILogger logger, string queueId, string bounceId);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "{QueueId}: sender delivery status notification: {BounceId}")]
    public static partial void Success(ILogger logger, string queueId, string bounceId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Could not send the delivery status notification for {QueueId}")]
    public static partial void Failed(ILogger logger, string queueId, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Mailroom.Queue;

/// <summary>
/// Mail-log lines of the queue and its delivery agents, worded as Postfix's qmgr, local and smtp write them
/// (<c>src/global/log_adhoc.c</c>), logged on the <see cref="Core.MaillogCategories"/> loggers.
/// </summary>
internal static partial class QueueMaillog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{QueueId}: from=<{Sender}>, size={Size}, nrcpt={RecipientCount} (queue active)")]
    public static partial void QueueActive(ILogger logger, string queueId, string sender, long size, int recipientCount);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{QueueId}: to=<{Recipient}>, relay={Relay}, delay={Delay}, delays={Delays}, dsn={Dsn}, status={Status} ({Reason})")]
    public static partial void RecipientStatus(ILogger logger, string queueId, string recipient, string relay, string delay, string delays, string dsn, string status, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{QueueId}: to=<{Recipient}>, orig_to=<{OriginalRecipient}>, relay={Relay}, delay={Delay}, delays={Delays}, dsn={Dsn}, status={Status} ({Reason})")]
    public static partial void RecipientStatusWithOriginal(ILogger logger, string queueId, string recipient, string originalRecipient, string relay, string delay, string delays, string dsn, string status, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "{QueueId}: removed")]
    public static partial void Removed(ILogger logger, string queueId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "{QueueId}: from=<{Sender}>, status=expired, returned to sender")]
    public static partial void Expired(ILogger logger, string queueId, string sender);
}

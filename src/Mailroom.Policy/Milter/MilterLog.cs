using Microsoft.Extensions.Logging;

namespace Mailroom.Policy.Milter;

/// <summary>Milter lines in Postfix's wording (<c>warning: milter inet:…: …</c>, <c>milter-hold</c>, <c>milter-discard</c>).</summary>
internal static partial class MilterLog
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "{QueueId}: milter {Milter}: {Problem}; default action {Action}")]
    public static partial void Failed(ILogger logger, string queueId, string milter, string problem, MilterDefaultAction action);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "{QueueId}: milter-hold: END-OF-MESSAGE: {Reason}; milter={Milter}")]
    public static partial void Hold(ILogger logger, string queueId, string reason, string milter);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "{QueueId}: milter-{Action}: {Reply}; milter={Milter}")]
    public static partial void Refused(ILogger logger, string queueId, string action, string reply, string milter);

}

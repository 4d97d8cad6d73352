using Microsoft.Extensions.Logging;

namespace Mailroom.Sieve;

/// <summary>
/// Mail-log lines of Sieve at delivery, in Pigeonhole's words behind the queue id (Information on <c>mailroom/sieve</c>),
/// and diagnostics (ids 9xx).
/// </summary>
internal static partial class SieveLog
{
    [LoggerMessage(1, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: stored mail into mailbox '{Folder}'")]
    public static partial void Stored(ILogger logger, string queueId, string user, string messageId, string folder);

    [LoggerMessage(2, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: forwarded to <{Address}>")]
    public static partial void Forwarded(ILogger logger, string queueId, string user, string messageId, string address);

    [LoggerMessage(3, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: discarded duplicate forward to <{Address}>")]
    public static partial void DuplicateForward(ILogger logger, string queueId, string user, string messageId, string address);

    [LoggerMessage(4, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: not forwarding message to <{Address}>: the 'x-sieve-redirected-from' header indicates a mail loop")]
    public static partial void RedirectLoop(ILogger logger, string queueId, string user, string messageId, string address);

    [LoggerMessage(5, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: sent vacation response to <{Address}>")]
    public static partial void VacationSent(ILogger logger, string queueId, string user, string messageId, string address);

    [LoggerMessage(6, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: vacation action: {Reason}")]
    public static partial void VacationSkipped(ILogger logger, string queueId, string user, string messageId, string reason);

    [LoggerMessage(7, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: rejected: {Reason}")]
    public static partial void Rejected(ILogger logger, string queueId, string user, string messageId, string reason);

    [LoggerMessage(8, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: marked message to be discarded if not explicitly delivered (discard action)")]
    public static partial void Discarded(ILogger logger, string queueId, string user, string messageId);

    [LoggerMessage(9, LogLevel.Information, "{QueueId}: sieve: user=<{User}>, msgid={MessageId}: execution failed, message kept in '{Folder}': {Error}")]
    public static partial void Failed(ILogger logger, string queueId, string user, string messageId, string folder, string error);

    [LoggerMessage(10, LogLevel.Information, "{QueueId}: sieve: user=<{User}>: script {Script} does not compile, skipped: {Errors}")]
    public static partial void ScriptInvalid(ILogger logger, string queueId, string user, string script, string errors);

    [LoggerMessage(900, LogLevel.Warning, "Sieve for {User} could not run")]
    public static partial void FilterFailed(ILogger logger, Exception exception, string user);
}

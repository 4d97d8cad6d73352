using Microsoft.Extensions.Logging;

namespace Mailroom.Directory;

/// <summary>All log events of the directory (event ids 1xx: passwords, 2xx: lookups, 3xx: database).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "unknown password scheme {Scheme}: verification fails")]
    public static partial void UnknownPasswordScheme(this ILogger logger, string scheme);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "malformed {Scheme} password hash: verification fails")]
    public static partial void MalformedPasswordHash(this ILogger logger, string scheme);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Scheme} password verification failed with an error")]
    public static partial void PasswordVerificationError(this ILogger logger, Exception exception, string scheme);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Scheme} password hash asks for {Parameter}={Value}, over Directory:PasswordLimits:{Limit} ({Max}): verification fails; re-hash the password")]
    public static partial void PasswordHashTooCostly(this ILogger logger, string scheme, string parameter, long value, string limit, long max);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "password of {Length} bytes is longer than Directory:PasswordLimits:MaxPasswordLength ({Max}): verification fails")]
    public static partial void PasswordTooLong(this ILogger logger, int length, int max);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "alias loop at {Address} while resolving {Recipient}: branch dropped")]
    public static partial void AliasLoop(this ILogger logger, string address, string recipient);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "alias expansion of {Recipient} deeper than {MaxDepth} at {Address}: branch dropped")]
    public static partial void AliasDepthExceeded(this ILogger logger, string recipient, int maxDepth, string address);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "alias {Alias} has an invalid target '{Target}': ignored")]
    public static partial void InvalidAliasTarget(this ILogger logger, string alias, string target);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "directory database {Path} migrated to schema version {Version}")]
    public static partial void SchemaMigrated(this ILogger logger, string path, int version);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "directory database {Path} unavailable")]
    public static partial void DatabaseUnavailable(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "directory database {Path} rejected a lookup statement")]
    public static partial void StatementFailed(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "directory database {Path} has no mailbox.messages_per_hour and recipients_per_hour columns: every user has the SendingLimits defaults")]
    public static partial void SendingLimitColumnsAbsent(this ILogger logger, string path);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "directory database {Path} has no mailbox.spam_to_junk column: spam-marked mail goes where Delivery:SpamToJunk says for every user")]
    public static partial void SpamToJunkColumnAbsent(this ILogger logger, string path);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "directory database {Path} did not answer at start-up: custom queries not checked; lookups fail temporarily until it is back")]
    public static partial void QueriesNotChecked(this ILogger logger, Exception exception, string path);
}

using Microsoft.Extensions.Logging;

namespace Mailroom.Pop3.Server;

/// <summary>
/// Mail-log lines of the POP3 server in Dovecot's words (Information events on <c>mailroom/pop3</c>), plus
/// diagnostics (ids 9xx) on ordinary categories.
/// </summary>
internal static partial class Pop3Log
{
    [LoggerMessage(1, LogLevel.Information, "pop3-login: Login: user=<{User}>, method={Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void Login(ILogger logger, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(2, LogLevel.Information, "pop3-login: {Reason} ({Attempts} in {Seconds} secs): user=<{User}>{Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void LoginDisconnected(ILogger logger, string reason, string attempts, long seconds, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(3, LogLevel.Information, "POP3({User}): {Reason} top={TopCount}/{TopBytes}, retr={RetrCount}/{RetrBytes}, del={Deleted}/{Messages}, size={Size}")]
    public static partial void Disconnected(ILogger logger, string user, string reason, int topCount, long topBytes, int retrCount, long retrBytes, int deleted, int messages, long size);

    [LoggerMessage(900, LogLevel.Warning, "Directory lookup for {User} failed")]
    public static partial void DirectoryFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(901, LogLevel.Warning, "Opening the maildrop of {User} failed")]
    public static partial void MaildropFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(902, LogLevel.Warning, "{User}: {Failures} messages marked deleted could not be removed")]
    public static partial void UpdateFailed(ILogger logger, string user, int failures);

    [LoggerMessage(903, LogLevel.Warning, "{User}: reading message {Number} failed")]
    public static partial void MessageReadFailed(ILogger logger, Exception exception, string user, int number);

    [LoggerMessage(904, LogLevel.Warning, "{User}: {Count} unreadable messages left out of the maildrop (the first error is attached)")]
    public static partial void MessagesLeftOut(ILogger logger, Exception exception, string user, int count);
}

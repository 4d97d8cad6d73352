using Microsoft.Extensions.Logging;

namespace Mailroom.Imap.Server;

/// <summary>
/// Mail-log lines of the IMAP server in Dovecot's words (Information events on <c>mailroom/imap</c>), plus
/// diagnostics (ids 9xx) on ordinary categories.
/// </summary>
internal static partial class ImapLog
{
    [LoggerMessage(1, LogLevel.Information, "imap-login: Login: user=<{User}>, method={Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void Login(ILogger logger, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(2, LogLevel.Information, "imap-login: {Reason} ({Attempts} in {Seconds} secs): user=<{User}>{Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void LoginDisconnected(ILogger logger, string reason, string attempts, long seconds, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(3, LogLevel.Information, "IMAP({User}): {Reason} in={BytesIn} out={BytesOut}")]
    public static partial void Disconnected(ILogger logger, string user, string reason, long bytesIn, long bytesOut);

    [LoggerMessage(900, LogLevel.Warning, "Directory lookup for {User} failed")]
    public static partial void DirectoryFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(901, LogLevel.Warning, "{User}: {Command} failed in the mail store")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string user, string command);

    [LoggerMessage(902, LogLevel.Warning, "{User}: opening the mailboxes failed")]
    public static partial void MailboxesFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(903, LogLevel.Error, "{User}: {Command} left out UID {Uid} of {Mailbox}: its content could not be read")]
    public static partial void MessageFailed(ILogger logger, Exception exception, string user, string mailbox, uint uid, string command);
}

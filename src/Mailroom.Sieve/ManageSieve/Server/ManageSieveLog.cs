using Microsoft.Extensions.Logging;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>Mail-log lines of the ManageSieve server in Dovecot's words (Information on <c>mailroom/managesieve</c>), and diagnostics (9xx).</summary>
internal static partial class ManageSieveLog
{
    [LoggerMessage(1, LogLevel.Information, "managesieve-login: Login: user=<{User}>, method={Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void Login(ILogger logger, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(2, LogLevel.Information, "managesieve-login: {Reason} ({Attempts} in {Seconds} secs): user=<{User}>{Method}, rip={RemoteIp}, lip={LocalIp}{Security}")]
    public static partial void LoginDisconnected(ILogger logger, string reason, string attempts, long seconds, string user, string method, string remoteIp, string localIp, string security);

    [LoggerMessage(3, LogLevel.Information, "managesieve({User}): {Reason} bytes={BytesIn}/{BytesOut}")]
    public static partial void Disconnected(ILogger logger, string user, string reason, long bytesIn, long bytesOut);

    [LoggerMessage(4, LogLevel.Information, "managesieve({User}): sieve: {Change} script '{Script}'")]
    public static partial void ScriptChanged(ILogger logger, string user, string change, string script);

    [LoggerMessage(900, LogLevel.Warning, "Directory lookup for {User} failed")]
    public static partial void DirectoryFailed(ILogger logger, Exception exception, string user);

    [LoggerMessage(901, LogLevel.Warning, "ManageSieve: script storage of {User} failed")]
    public static partial void StorageFailed(ILogger logger, Exception exception, string user);
}

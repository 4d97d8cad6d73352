using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Privileges;

/// <summary>What the privilege drop did, for the admin: each line names the user and the path it concerns.</summary>
internal static partial class PrivilegeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "created system user {User} (uid {Uid}, gid {Gid}, home {Home}, no login shell) to run the server")]
    public static partial void UserCreated(ILogger logger, string user, uint uid, uint gid, string home);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "gave {Directory} to user {User} (0700, files 0600): {Changed} entries changed")]
    public static partial void TookOver(ILogger logger, string directory, string user, int changed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "granted user {User} search permission on {Directory} (POSIX ACL user:{User}:--x) so that it can reach {Target}")]
    public static partial void SearchGranted(ILogger logger, string directory, string user, string target);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "running as user {User} ({Credentials})")]
    public static partial void Dropped(ILogger logger, string user, string credentials);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "running as root, as Server:User=root asks: every session runs with full privileges")]
    public static partial void StayingRoot(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "user {User} cannot read {Path}: the certificate was read before the privilege drop, and a renewed one is used after a restart (or make the files readable by a group of {User})")]
    public static partial void CertificateUnreadable(ILogger logger, string user, string path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "loaded {Count} assemblies before the privilege drop")]
    public static partial void Preloaded(ILogger logger, int count);
}

using Microsoft.Extensions.Logging;

namespace Mailroom.Imap.Server;

/// <summary>Diagnostics of the quota checks and commands (RFC 9208).</summary>
internal static partial class ImapLog
{
    [LoggerMessage(903, LogLevel.Warning, "{User}: reading the quota failed")]
    public static partial void QuotaFailed(ILogger logger, Exception exception, string user);
}

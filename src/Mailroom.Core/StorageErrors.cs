namespace Mailroom.Core;

/// <summary>
/// Recognises a full file system (ENOSPC) or an exhausted disk quota (EDQUOT) behind an exception, so that the
/// protocols can answer with a temporary "insufficient storage" instead of a generic error: the sender retries later
/// and nothing is lost (SMTP <c>452 4.3.1</c>, RFC 3463 §3.4; IMAP <c>NO [OVERQUOTA]</c>, as Dovecot answers).
/// </summary>
public static class StorageErrors
{
    // .NET on Unix gives an IOException the errno as its HResult.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    // SQLite's SQLITE_FULL ("database or disk is full"), from a directory or index database.
    private const string SqliteFull = "SQLite Error 13:";

    /// <summary>True when the exception or one it wraps says the disk (or the user's disk quota) is full.</summary>
    public static bool IsOutOfSpace(Exception? exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is IOException { HResult: NoSpace or QuotaExceeded }
                || ex is System.Data.Common.DbException && ex.Message.StartsWith(SqliteFull, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

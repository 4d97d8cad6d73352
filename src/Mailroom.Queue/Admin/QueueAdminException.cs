namespace Mailroom.Queue.Admin;

/// <summary>An administrative operation failed for a reason the administrator can fix (unknown id, queue busy).</summary>
public sealed class QueueAdminException : Exception
{
    public QueueAdminException()
    {
    }

    public QueueAdminException(string message)
        : base(message)
    {
    }

    public QueueAdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

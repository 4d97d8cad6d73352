namespace Mailroom.IO;

/// <summary>
/// Taken from a <see cref="FileSystemSyncGroup"/> before a writer creates its files: it records how many flushes of the
/// file system had failed then, so that a later failure (which may have lost those files' data) is never missed.
/// </summary>
/// <param name="FailuresBefore">The group's count of failed flushes when the ticket was taken.</param>
public readonly record struct FileSystemSyncTicket(long FailuresBefore);

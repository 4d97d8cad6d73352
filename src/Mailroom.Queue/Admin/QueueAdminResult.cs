namespace Mailroom.Queue.Admin;

/// <summary>The outcome of an administrative operation.</summary>
/// <param name="Count">How many messages it affected.</param>
/// <param name="ServerRunning">True when a running queue manager did it; false when the files were changed directly.</param>
public sealed record QueueAdminResult(int Count, bool ServerRunning);

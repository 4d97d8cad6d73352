namespace Mailroom.Queue.Admin;

/// <summary>A pending recipient and, once an attempt failed, why (<c>4.4.1 connect to ...: Connection refused</c>).</summary>
public sealed record QueuedRecipientInfo(string Address, string? Dsn, string? LastError);

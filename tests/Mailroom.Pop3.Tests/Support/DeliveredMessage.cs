namespace Mailroom.Pop3.Tests.Support;

/// <summary>A message a test delivered.</summary>
/// <param name="Name">Its name in the store, which POP3's UIDL shows.</param>
/// <param name="Size">Its size (CRLF line ends, so also the size RETR sends).</param>
/// <param name="Path">The file it went to on a Maildir store; null in memory.</param>
internal sealed record DeliveredMessage(string Name, long Size, string? Path);

namespace Mailroom.Core.Filtering;

/// <summary>
/// Store the message into <paramref name="Folder"/> (<c>keep</c>, <c>fileinto</c>) with the IMAP flags and keywords
/// given (RFC 5232: <c>\Seen</c>, <c>\Flagged</c>, … and keywords such as <c>$Junk</c>).
/// </summary>
/// <param name="Folder">The folder name, <c>/</c>-separated; <c>INBOX</c> for a keep.</param>
/// <param name="Create">Create the folder when it is missing (RFC 5490 §3.2 <c>:create</c>); otherwise a missing folder falls back to INBOX.</param>
/// <param name="Flags">System flags (with their backslash) and keywords, each once.</param>
public sealed record StoreAction(string Folder, bool Create, IReadOnlyList<string> Flags) : FilterAction;

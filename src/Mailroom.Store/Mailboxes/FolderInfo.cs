namespace Mailroom.Store.Mailboxes;

/// <summary>One folder as LIST shows it.</summary>
/// <param name="Name">The folder name, levels separated by <c>/</c>; <c>INBOX</c> upper-case.</param>
/// <param name="SpecialUse">Its RFC 6154 special use.</param>
/// <param name="HasChildren">Whether any folder lies below it (RFC 3348).</param>
/// <param name="Subscribed">Whether the user subscribed to it.</param>
public sealed record FolderInfo(string Name, SpecialUse SpecialUse, bool HasChildren, bool Subscribed);

namespace Mailroom.Store.Mailboxes;

/// <summary>The special-use attribute of a folder (RFC 6154 §2).</summary>
public enum SpecialUse
{
    None,
    Drafts,
    Sent,
    Trash,
    Junk,
    Archive,
}

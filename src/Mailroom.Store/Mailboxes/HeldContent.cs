namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The content of an expunged message kept readable for the sessions that still show it (see
/// <see cref="ExpungedContentHold"/>): a Maildir file's open handle after its name was removed, or bytes in memory.
/// </summary>
internal abstract class HeldContent
{
    /// <summary>A new read-only stream over the content, positioned at its start; usable after <see cref="Release"/>.</summary>
    public abstract Stream Open();

    /// <summary>The hold ends: what it kept is freed once the streams opened from it are disposed.</summary>
    public abstract void Release();
}

namespace Mailroom.Store.Mailboxes;

/// <summary>The folders every new user gets, subscribed, with their RFC 6154 special use; the same in every store.</summary>
internal static class DefaultFolders
{
    public static readonly (string Name, SpecialUse Use)[] All =
    [
        ("Drafts", SpecialUse.Drafts), ("Sent", SpecialUse.Sent), ("Trash", SpecialUse.Trash),
        ("Junk", SpecialUse.Junk), ("Archive", SpecialUse.Archive),
    ];

    /// <summary>The special use of a canonical folder name (only the default folders have one).</summary>
    public static SpecialUse SpecialUseOf(string name)
    {
        foreach ((string folder, SpecialUse use) in All)
        {
            if (folder == name)
            {
                return use;
            }
        }

        return SpecialUse.None;
    }
}

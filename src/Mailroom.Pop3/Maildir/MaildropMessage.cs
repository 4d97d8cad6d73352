namespace Mailroom.Pop3.Maildir;

/// <summary>One message of the login snapshot, with the session's marks on it.</summary>
internal sealed class MaildropMessage(string path, string baseName, string flags, long size)
{
    /// <summary>Where the file was at login (it may since have been renamed by another agent; see <see cref="Maildrop.Open"/>).</summary>
    public string Path { get; set; } = path;

    public string BaseName { get; } = baseName;

    public string Flags { get; } = flags;

    /// <summary>Octets RETR sends before dot-stuffing: bare LFs count as CRLF (RFC 1939 §11).</summary>
    public long Size { get; } = size;

    public string UniqueId { get; } = Pop3UniqueId.Of(baseName);

    /// <summary>Marked by DELE; removed only in the UPDATE state (RFC 1939 §6).</summary>
    public bool Deleted { get; set; }

    /// <summary>Fully sent by RETR; gets the Seen flag at QUIT.</summary>
    public bool Retrieved { get; set; }
}

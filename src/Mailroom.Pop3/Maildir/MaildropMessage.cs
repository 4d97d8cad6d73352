using Mailroom.Store.Mailboxes;

namespace Mailroom.Pop3.Maildir;

/// <summary>One message of the login snapshot, with the session's marks on it.</summary>
internal sealed class MaildropMessage(MessageRecord record, long size)
{
    public uint Uid { get; } = record.Uid;

    /// <summary>The flags at login.</summary>
    public MessageFlags Flags { get; } = record.Flags;

    /// <summary>Octets RETR sends before dot-stuffing: bare LFs count as CRLF (RFC 1939 §11).</summary>
    public long Size { get; } = size;

    public string UniqueId { get; } = Pop3UniqueId.Of(record.BaseName);

    /// <summary>Marked by DELE; removed only in the UPDATE state (RFC 1939 §6).</summary>
    public bool Deleted { get; set; }

    /// <summary>Fully sent by RETR; gets the Seen flag at QUIT.</summary>
    public bool Retrieved { get; set; }
}

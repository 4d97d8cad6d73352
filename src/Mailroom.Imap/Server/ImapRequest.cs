using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Server;

/// <summary>One assembled command: its tag, its name (<c>FETCH</c>, <c>UID FETCH</c>) and the buffer holding it.</summary>
internal sealed class ImapRequest
{
    public ImapRequest(string tag, string name, bool uid, ImapCommandBuffer buffer)
    {
        Tag = tag;
        Name = name;
        Uid = uid;
        Buffer = buffer;
    }

    public string Tag { get; }

    /// <summary>The command name upper-cased; UID forms are <c>UID FETCH</c> etc.</summary>
    public string Name { get; }

    /// <summary>The UID form of FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE (RFC 9051 §6.4.9).</summary>
    public bool Uid { get; }

    public ImapCommandBuffer Buffer { get; }

    /// <summary>A reader positioned right after the command name (before the space that precedes any argument).</summary>
    public ImapArgumentReader Arguments()
    {
        var reader = new ImapArgumentReader(Buffer);
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        if (Uid)
        {
            reader.ReadSpace();
            reader.ReadAtom();
        }

        return reader;
    }
}

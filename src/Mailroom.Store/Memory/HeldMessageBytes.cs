using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Memory;

/// <summary>A removed in-memory message's bytes, kept while a session still shows it.</summary>
internal sealed class HeldMessageBytes(byte[] content) : HeldContent
{
    public override Stream Open() => new MemoryStream(content, writable: false);

    public override void Release()
    {
    }
}

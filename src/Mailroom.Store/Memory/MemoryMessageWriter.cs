using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Memory;

/// <summary>One message of a <see cref="MemorySave"/>, gathered in memory.</summary>
internal sealed class MemoryMessageWriter(MemorySave save, MessageFlags flags, string[] keywords, DateTimeOffset internalDate) : MessageWriter
{
    private readonly MemoryStream _content = new();

    public MessageFlags Flags { get; } = flags;

    public string[] Keywords { get; } = keywords;

    public DateTimeOffset InternalDate { get; } = internalDate;

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _content.Write(data.Span);
        return default;
    }

    protected override ValueTask CompleteCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        save.Completed(this, _content.ToArray());
        return default;
    }
}

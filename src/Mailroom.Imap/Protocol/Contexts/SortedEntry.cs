using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Protocol.Contexts;

/// <summary>One message of a kept SORT result: its UID (which outlives sequence numbers) and its sort keys.</summary>
internal sealed record SortedEntry(uint Uid, SortableMessage Message);

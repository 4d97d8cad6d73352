namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>A message SORT or THREAD orders: its sequence number, the number the response names, and its keys.</summary>
/// <param name="Sequence">Its sequence number: the order of last resort (RFC 5256 §3).</param>
/// <param name="Number">Its sequence number or UID, as the response gives it.</param>
/// <param name="InternalDateUtcTicks">INTERNALDATE, for ARRIVAL and when the sent date is unknown.</param>
/// <param name="Size">RFC822.SIZE.</param>
/// <param name="Keys">The cached header keys.</param>
internal sealed record SortableMessage(int Sequence, uint Number, long InternalDateUtcTicks, long Size, MessageSortKeys Keys)
{
    /// <summary>RFC 5256 §2.2: the sent date, or the internal date when the Date field is missing or unreadable.</summary>
    public long SentDate => Keys.SentDateUtcTicks != MessageSortKeys.NoDate ? Keys.SentDateUtcTicks : InternalDateUtcTicks;
}

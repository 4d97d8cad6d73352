namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages sorted by base subject then sent date; each run of one base subject is
/// a thread whose first message is the parent of all the others; threads ordered by their first message's sent date.
/// </summary>
internal static class OrderedSubjectThreader
{
    public static List<ThreadNode> Thread(SortableMessage[] messages, CancellationToken cancellationToken) =>
        Thread(messages, new SortRanks(), cancellationToken);

    /// <param name="messages">The messages to thread.</param>
    /// <param name="ranks">The folder's subject ranks (see <see cref="SortRanks"/>).</param>
    /// <param name="cancellationToken">Stops the work when the client leaves.</param>
    public static List<ThreadNode> Thread(SortableMessage[] messages, SortRanks ranks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SortCriterion[] order = [new(SortKeyKind.Subject, false), new(SortKeyKind.Date, false)];
        MessageSorter.Sort(messages, order, ranks, cancellationToken);
        List<ThreadNode> threads = [];
        ThreadNode? current = null;
        foreach (SortableMessage message in messages)
        {
            var node = new ThreadNode(message);
            if (current is not null && current.Message!.Keys.Subject == message.Keys.Subject)
            {
                node.AttachTo(current);
            }
            else
            {
                threads.Add(node);
                current = node;
            }
        }

        // Ties on the date go by sequence number (RFC 5256 §3).
        threads.Sort(static (a, b) =>
        {
            int byDate = a.Message!.SentDate.CompareTo(b.Message!.SentDate);
            return byDate != 0 ? byDate : a.Message.Sequence.CompareTo(b.Message.Sequence);
        });
        return threads;
    }
}

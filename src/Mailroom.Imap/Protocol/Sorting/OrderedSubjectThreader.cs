namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages sorted by base subject then sent date; each run of one base subject is
/// a thread whose first message is the parent of all the others; threads ordered by their first message's sent date.
/// </summary>
internal static class OrderedSubjectThreader
{
    public static ThreadForest Thread(SortableMessage[] messages, CancellationToken cancellationToken) =>
        Thread(messages, new SortRanks(), cancellationToken);

    /// <param name="messages">The messages to thread (sorted in place).</param>
    /// <param name="ranks">The folder's subject ranks (see <see cref="SortRanks"/>).</param>
    /// <param name="cancellationToken">Stops the work when the client leaves.</param>
    /// <returns>The threads as the root's children, in a forest the caller disposes.</returns>
    public static ThreadForest Thread(SortableMessage[] messages, SortRanks ranks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SortCriterion[] order = [new(SortKeyKind.Subject, false), new(SortKeyKind.Date, false)];
        MessageSorter.Sort(messages, order, ranks, cancellationToken);
        var forest = new ThreadForest(messages, 1 + messages.Length);
        int current = ThreadForest.None;
        for (int i = 0; i < messages.Length; i++)
        {
            int node = forest.Add(i);
            if (current != ThreadForest.None && messages[forest.MessageOf(current)].Keys.Subject == messages[i].Keys.Subject)
            {
                forest.Attach(node, current);
            }
            else
            {
                forest.Attach(node, ThreadForest.Root);
                current = node;
            }
        }

        // The threads by their first message's sent date, ties by sequence number (RFC 5256 §3); each thread's
        // children are in date order already (sorted by subject, then date).
        forest.SortChildrenByDate(ThreadForest.Root);
        return forest;
    }
}

using System.Buffers;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm): messages linked by Message-ID and References,
/// dummies pruned, threads of one base subject merged, siblings sorted by sent date. The ids are the folder's numbers
/// (<see cref="ThreadIdTable"/>), so linking indexes arrays, and the containers live in a pooled
/// <see cref="ThreadForest"/>. Hostile headers cannot make it slow: each message keeps at most
/// <c>MaxThreadReferences</c> ids (bounded when the keys were computed), a link's loop check walks at most
/// <c>maxLoopCheck</c> ancestors (a deeper chain is treated as a loop and not linked), and every walk of the tree is
/// iterative, so the cost is O(n·(r + d) + n log n) and the stack is flat.
/// </summary>
internal sealed class ReferencesThreader
{
    private const int NoNode = ThreadForest.None;

    private readonly ThreadForest _forest;
    private readonly int _maxLoopCheck;

    // Node of each id number, or NoNode; pooled, as large as the folder's id table.
    private readonly int[] _byId;

    private ReferencesThreader(ThreadForest forest, int maxLoopCheck, int[] byId)
    {
        _forest = forest;
        _maxLoopCheck = maxLoopCheck;
        _byId = byId;
    }

    /// <summary>Threads <paramref name="messages"/> with a numbering of their own (tests, one-off callers).</summary>
    public static ThreadForest Thread(SortableMessage[] messages, int maxLoopCheck, CancellationToken cancellationToken) =>
        Thread(messages, new ThreadIdTable(), maxLoopCheck, cancellationToken);

    /// <summary>
    /// The threads as the root's children in a forest the caller disposes: each a message, or a dummy holding two or
    /// more threads of one subject.
    /// </summary>
    /// <param name="messages">The messages to thread.</param>
    /// <param name="ids">The folder's id numbers (see <see cref="ThreadIdTable"/>).</param>
    /// <param name="maxLoopCheck">How many ancestors a link's loop check may walk.</param>
    /// <param name="cancellationToken">Stops the work when the client leaves.</param>
    public static ThreadForest Thread(SortableMessage[] messages, ThreadIdTable ids, int maxLoopCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(ids);

        // Linked in mailbox order; the selection comes in that order already, so it is sorted only when it is not.
        if (!InSequenceOrder(messages))
        {
            messages = [.. messages.OrderBy(static m => m.Sequence)];
        }

        ThreadLinks[] links = ArrayPool<ThreadLinks>.Shared.Rent(messages.Length);
        int[]? byId = null;
        ThreadForest? forest = null;
        try
        {
            int idCount = ids.Number(messages, links);
            byId = ArrayPool<int>.Shared.Rent(idCount);
            Array.Fill(byId, NoNode, 0, idCount);

            // The root, a node per message, at most one dummy per id, and at most one per subject when threads merge.
            forest = new ThreadForest(messages, 1 + (2 * messages.Length) + idCount);
            var threader = new ReferencesThreader(forest, maxLoopCheck, byId);
            for (int i = 0; i < messages.Length; i++)
            {
                if ((i & 0xFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                threader.Link(i, links[i]);
            }

            // (2) The root set; (3) the id table is no longer needed.
            for (int node = 1; node < forest.Count; node++)
            {
                if (forest.Parent(node) == NoNode && (!forest.IsDummy(node) || forest.HasChildren(node)))
                {
                    forest.Attach(node, ThreadForest.Root);
                }
            }

            threader.Prune();
            threader.MergeBySubject();
            cancellationToken.ThrowIfCancellationRequested();
            forest.SortAllChildrenByDate(cancellationToken);
            ThreadForest result = forest;
            forest = null;
            return result;
        }
        finally
        {
            forest?.Dispose();
            ArrayPool<ThreadLinks>.Shared.Return(links, clearArray: true);
            if (byId is not null)
            {
                ArrayPool<int>.Shared.Return(byId);
            }
        }
    }

    private static bool InSequenceOrder(SortableMessage[] messages)
    {
        for (int i = 1; i < messages.Length; i++)
        {
            if (messages[i].Sequence < messages[i - 1].Sequence)
            {
                return false;
            }
        }

        return true;
    }

    // (1) RFC 5256 §3 step 1: a container per Message-ID; References link their ids in order (A), then the message
    // hangs under the last one (B).
    private void Link(int message, ThreadLinks links)
    {
        ThreadForest forest = _forest;
        int node;
        int id = links.Id;
        int known = id == ThreadLinks.NoId ? NoNode : _byId[id];
        if (known != NoNode && forest.IsDummy(known))
        {
            // Referenced by an earlier message: this is the one it meant.
            forest.SetMessage(known, message);
            node = known;
        }
        else
        {
            // No id, or one an earlier message already has: a unique container of its own (step 1, duplicates).
            node = forest.Add(message);
            if (id != ThreadLinks.NoId && known == NoNode)
            {
                _byId[id] = node;
            }
        }

        int previous = NoNode;
        foreach (int reference in links.References)
        {
            int current = Container(reference);
            // (A) Link consecutive ids unless already linked or a loop would follow.
            if (previous != NoNode && forest.Parent(current) == NoNode && !WouldLoop(previous, current))
            {
                forest.Attach(current, previous);
            }

            previous = current;
        }

        // (B) The message goes under the last reference: any parent a truncated References gave it is dropped first,
        // and with no references it has none. A link that would loop is not made (the message then starts a thread).
        if (forest.Parent(node) != previous)
        {
            forest.Detach(node);
            if (previous != NoNode && !WouldLoop(previous, node))
            {
                forest.Attach(node, previous);
            }
        }
    }

    private int Container(int id)
    {
        int node = _byId[id];
        if (node == NoNode)
        {
            node = _forest.Add(ThreadForest.None);
            _byId[id] = node;
        }

        return node;
    }

    /// <summary>
    /// Whether making <paramref name="child"/> a child of <paramref name="parent"/> would close a loop: the parent is
    /// the child or below it. A chain deeper than the walk allows counts as a loop (the link is not made).
    /// </summary>
    private bool WouldLoop(int parent, int child)
    {
        if (parent == child)
        {
            return true;
        }

        if (!_forest.HasChildren(child))
        {
            return false;
        }

        int steps = 0;
        for (int node = _forest.Parent(parent); node != NoNode; node = _forest.Parent(node))
        {
            if (node == child || ++steps > _maxLoopCheck)
            {
                return true;
            }
        }

        return false;
    }

    // (4) Dummies without children go; a dummy's children take its place, except that a dummy at the top keeps two or
    // more children together (they would otherwise become separate threads). Post-order, iteratively: a node is
    // pushed twice, the second time (as ~node) once its children are done.
    private void Prune()
    {
        ThreadForest forest = _forest;
        int[] pending = ArrayPool<int>.Shared.Rent(2 * forest.Count);
        try
        {
            int count = 0;
            for (int top = forest.FirstChild(ThreadForest.Root); top != NoNode; top = forest.Next(top))
            {
                pending[count++] = top;
            }

            while (count > 0)
            {
                int entry = pending[--count];
                if (entry >= 0)
                {
                    pending[count++] = ~entry;
                    for (int child = forest.FirstChild(entry); child != NoNode; child = forest.Next(child))
                    {
                        pending[count++] = child;
                    }

                    continue;
                }

                int node = ~entry;
                if (!forest.IsDummy(node))
                {
                    continue;
                }

                int parent = forest.Parent(node);
                int first = forest.FirstChild(node);
                if (parent == ThreadForest.Root && first != NoNode && forest.Next(first) != NoNode)
                {
                    continue;
                }

                // Splice the children in at the dummy's place (their order among the siblings is settled by the sort).
                forest.MoveChildren(node, parent);
                forest.Detach(node);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pending);
        }
    }

    // (5) Threads whose base subjects are equal are gathered: a table of one thread per subject (B), then merging (C).
    private void MergeBySubject()
    {
        ThreadForest forest = _forest;
        SortableMessage[] messages = forest.Messages;
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int top = forest.FirstChild(ThreadForest.Root); top != NoNode; top = forest.Next(top))
        {
            int subject = forest.Representative(top);
            if (subject == NoNode || messages[subject].Keys.Subject.Length == 0)
            {
                continue;
            }

            string key = messages[subject].Keys.Subject;
            if (!table.TryGetValue(key, out int held))
            {
                table[key] = top;
            }
            else if (!forest.IsDummy(held) && (forest.IsDummy(top)
                || (messages[forest.Representative(held)].Keys.IsReplyOrForward && !messages[subject].Keys.IsReplyOrForward)))
            {
                table[key] = top;
            }
        }

        for (int top = forest.FirstChild(ThreadForest.Root); top != NoNode;)
        {
            // The next top is read first: this one may move below another.
            int next = forest.Next(top);
            int subject = forest.Representative(top);
            if (subject != NoNode && messages[subject].Keys.Subject.Length > 0
                && table.TryGetValue(messages[subject].Keys.Subject, out int held) && held != top)
            {
                Merge(top, held, messages[subject].Keys.IsReplyOrForward);
            }

            top = next;
        }
    }

    private void Merge(int top, int held, bool topIsReply)
    {
        ThreadForest forest = _forest;
        if (forest.IsDummy(held) && forest.IsDummy(top))
        {
            // Both dummies: the children of both become siblings.
            forest.MoveChildren(top, held);
            forest.Detach(top);
        }
        else if (forest.IsDummy(held) || (topIsReply && !forest.Messages[forest.Representative(held)].Keys.IsReplyOrForward))
        {
            // Under the dummy, or a reply under the original.
            forest.Detach(top);
            forest.Attach(top, held);
        }
        else
        {
            // Neither is a reply of the other: a new dummy takes the held thread's place and holds both. (The held
            // container becomes the dummy and its message moves down, so its place among the roots is kept.)
            int moved = forest.Add(forest.MessageOf(held));
            forest.MoveChildren(held, moved);
            forest.SetMessage(held, ThreadForest.None);
            forest.Attach(moved, held);
            forest.Detach(top);
            forest.Attach(top, held);
        }
    }
}

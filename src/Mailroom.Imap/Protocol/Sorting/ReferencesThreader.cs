namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm): messages linked by Message-ID and References,
/// dummies pruned, threads of one base subject merged, siblings sorted by sent date. Hostile headers cannot make it
/// slow: each message keeps at most <c>MaxThreadReferences</c> ids (bounded when the keys were computed), a link's
/// loop check walks at most <paramref name="maxLoopCheck"/> ancestors (a deeper chain is treated as a loop and not
/// linked), and every walk of the tree is iterative, so the cost is O(n·(r + d) + n log n) and the stack is flat.
/// </summary>
internal sealed class ReferencesThreader
{
    private readonly int _maxLoopCheck;
    private readonly Dictionary<string, ThreadNode> _byId;
    private readonly List<ThreadNode> _nodes;

    private ReferencesThreader(int maxLoopCheck, int messages)
    {
        _maxLoopCheck = maxLoopCheck;

        // Sized for each message and about one referenced id of its own, so a large folder's table is not rehashed as it grows.
        _byId = new Dictionary<string, ThreadNode>(2 * messages, StringComparer.Ordinal);
        _nodes = new List<ThreadNode>(2 * messages);
    }

    /// <summary>The threads, each a root node (a message, or a dummy holding two or more threads of one subject).</summary>
    public static List<ThreadNode> Thread(IReadOnlyList<SortableMessage> messages, int maxLoopCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var threader = new ReferencesThreader(maxLoopCheck, messages.Count);
        // Linked in mailbox order; the selection comes in that order already, so it is sorted only when it is not.
        IEnumerable<SortableMessage> inOrder = InSequenceOrder(messages) ? messages : messages.OrderBy(static m => m.Sequence);
        foreach (SortableMessage message in inOrder)
        {
            cancellationToken.ThrowIfCancellationRequested();
            threader.Link(message);
        }

        // (2) The root set; (3) the id table is no longer needed.
        threader._byId.Clear();
        var root = new ThreadNode(null);
        foreach (ThreadNode node in threader._nodes)
        {
            if (node.Parent is null && (!node.IsDummy || node.HasChildren))
            {
                node.AttachTo(root);
            }
        }

        Prune(root);
        MergeBySubject(root);
        cancellationToken.ThrowIfCancellationRequested();
        SortSiblings(root);
        return root.Children();
    }

    private static bool InSequenceOrder(IReadOnlyList<SortableMessage> messages)
    {
        for (int i = 1; i < messages.Count; i++)
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
    private void Link(SortableMessage message)
    {
        ThreadNode node;
        string id = message.Keys.MessageId;
        if (id.Length > 0 && _byId.TryGetValue(id, out ThreadNode? known) && known.IsDummy)
        {
            // Referenced by an earlier message: this is the one it meant.
            known.Message = message;
            node = known;
        }
        else
        {
            // No id, or one an earlier message already has: a unique container of its own (step 1, duplicates).
            node = new ThreadNode(message);
            _nodes.Add(node);
            if (id.Length > 0 && !_byId.ContainsKey(id))
            {
                _byId[id] = node;
            }
        }

        ThreadNode? previous = null;
        IReadOnlyList<string> references = message.Keys.References;
        for (int i = 0; i < references.Count; i++)
        {
            ThreadNode current = Container(references[i]);
            // (A) Link consecutive ids unless already linked or a loop would follow.
            if (previous is not null && current.Parent is null && !WouldLoop(previous, current))
            {
                current.AttachTo(previous);
            }

            previous = current;
        }

        // (B) The message goes under the last reference: any parent a truncated References gave it is dropped first,
        // and with no references it has none. A link that would loop is not made (the message then starts a thread).
        if (node.Parent != previous)
        {
            node.Detach();
            if (previous is not null && !WouldLoop(previous, node))
            {
                node.AttachTo(previous);
            }
        }
    }

    private ThreadNode Container(string id)
    {
        if (!_byId.TryGetValue(id, out ThreadNode? node))
        {
            node = new ThreadNode(null);
            _byId[id] = node;
            _nodes.Add(node);
        }

        return node;
    }

    /// <summary>
    /// Whether making <paramref name="child"/> a child of <paramref name="parent"/> would close a loop: the parent is
    /// the child or below it. A chain deeper than the walk allows counts as a loop (the link is not made).
    /// </summary>
    private bool WouldLoop(ThreadNode parent, ThreadNode child)
    {
        if (parent == child)
        {
            return true;
        }

        if (!child.HasChildren)
        {
            return false;
        }

        int steps = 0;
        for (ThreadNode? node = parent.Parent; node is not null; node = node.Parent)
        {
            if (node == child || ++steps > _maxLoopCheck)
            {
                return true;
            }
        }

        return false;
    }

    // (4) Dummies without children go; a dummy's children take its place, except that a dummy at the top keeps two or
    // more children together (they would otherwise become separate threads). Post-order, iteratively.
    private static void Prune(ThreadNode root)
    {
        var pending = new Stack<(ThreadNode Node, bool ChildrenDone)>();
        foreach (ThreadNode top in root.Children())
        {
            pending.Push((top, false));
        }

        while (pending.Count > 0)
        {
            (ThreadNode node, bool childrenDone) = pending.Pop();
            if (!childrenDone)
            {
                pending.Push((node, true));
                for (ThreadNode? child = node.FirstChild; child is not null; child = child.Next)
                {
                    pending.Push((child, false));
                }

                continue;
            }

            if (!node.IsDummy)
            {
                continue;
            }

            ThreadNode parent = node.Parent!;
            if (parent == root && node.FirstChild is not null && node.FirstChild.Next is not null)
            {
                continue;
            }

            // Splice the children in at the dummy's place (their order among the siblings is settled by the sort).
            foreach (ThreadNode child in node.Children())
            {
                child.Detach();
                child.AttachTo(parent);
            }

            node.Detach();
        }
    }

    // (5) Threads whose base subjects are equal are gathered: a table of one thread per subject (B), then merging (C).
    private static void MergeBySubject(ThreadNode root)
    {
        var table = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        foreach (ThreadNode top in root.Children())
        {
            SortableMessage? subject = top.Representative;
            if (subject is null || subject.Keys.Subject.Length == 0)
            {
                continue;
            }

            if (!table.TryGetValue(subject.Keys.Subject, out ThreadNode? held))
            {
                table[subject.Keys.Subject] = top;
            }
            else if (!held.IsDummy && (top.IsDummy || (held.Representative!.Keys.IsReplyOrForward && !subject.Keys.IsReplyOrForward)))
            {
                table[subject.Keys.Subject] = top;
            }
        }

        foreach (ThreadNode top in root.Children())
        {
            SortableMessage? subject = top.Representative;
            if (subject is null || subject.Keys.Subject.Length == 0 || !table.TryGetValue(subject.Keys.Subject, out ThreadNode? held) || held == top)
            {
                continue;
            }

            if (held.IsDummy && top.IsDummy)
            {
                // Both dummies: the children of both become siblings.
                foreach (ThreadNode child in top.Children())
                {
                    child.Detach();
                    child.AttachTo(held);
                }

                top.Detach();
            }
            else if (held.IsDummy || (subject.Keys.IsReplyOrForward && !held.Representative!.Keys.IsReplyOrForward))
            {
                // Under the dummy, or a reply under the original.
                top.Detach();
                top.AttachTo(held);
            }
            else
            {
                // Neither is a reply of the other: a new dummy takes the held thread's place and holds both. (The held
                // container becomes the dummy and its message moves down, so its place among the roots is kept.)
                var moved = new ThreadNode(held.Message);
                foreach (ThreadNode child in held.Children())
                {
                    child.Detach();
                    child.AttachTo(moved);
                }

                held.Message = null;
                moved.AttachTo(held);
                top.Detach();
                top.AttachTo(held);
            }
        }
    }

    // (6) Every set of siblings sorted by sent date (a dummy by its first child), deepest first, ties by sequence.
    private static void SortSiblings(ThreadNode root)
    {
        var order = new List<ThreadNode>();
        var pending = new Stack<ThreadNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            ThreadNode node = pending.Pop();
            order.Add(node);
            for (ThreadNode? child = node.FirstChild; child is not null; child = child.Next)
            {
                pending.Push(child);
            }
        }

        // Parents were listed before their children: going backwards sorts grandchildren before children. Siblings that
        // are in date order already (replies usually arrive in it) are left as they are; one list serves every sort.
        var children = new List<ThreadNode>();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            ThreadNode parent = order[i];
            if (parent.FirstChild is null || parent.FirstChild.Next is null || InDateOrder(parent))
            {
                continue;
            }

            children.Clear();
            for (ThreadNode? child = parent.FirstChild; child is not null; child = child.Next)
            {
                children.Add(child);
            }

            children.Sort(CompareByDate);
            foreach (ThreadNode child in children)
            {
                child.Detach();
                child.AttachTo(parent);
            }
        }
    }

    private static bool InDateOrder(ThreadNode parent)
    {
        for (ThreadNode child = parent.FirstChild!; child.Next is { } next; child = next)
        {
            if (CompareByDate(child, next) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareByDate(ThreadNode a, ThreadNode b)
    {
        SortableMessage? x = a.Representative;
        SortableMessage? y = b.Representative;
        if (x is null || y is null)
        {
            return (x is null).CompareTo(y is null);
        }

        int byDate = x.SentDate.CompareTo(y.SentDate);
        return byDate != 0 ? byDate : x.Sequence.CompareTo(y.Sequence);
    }
}

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// A container of RFC 5256 §3: a message, or a dummy standing for one that was referenced but is not in the result.
/// Children are a doubly linked list, so a link is made or broken in constant time.
/// </summary>
internal sealed class ThreadNode
{
    public ThreadNode(SortableMessage? message)
    {
        Message = message;
    }

    /// <summary>The message, or null for a dummy.</summary>
    public SortableMessage? Message { get; set; }

    public ThreadNode? Parent { get; private set; }

    public ThreadNode? FirstChild { get; private set; }

    public ThreadNode? LastChild { get; private set; }

    public ThreadNode? Next { get; private set; }

    public ThreadNode? Previous { get; private set; }

    public bool IsDummy => Message is null;

    public bool HasChildren => FirstChild is not null;

    /// <summary>The message that stands for this node in date order and subject lookups: its own, or a dummy's first child's.</summary>
    public SortableMessage? Representative
    {
        get
        {
            ThreadNode? node = this;
            while (node is { Message: null })
            {
                node = node.FirstChild;
            }

            return node?.Message;
        }
    }

    /// <summary>Makes this node the last child of <paramref name="parent"/> (it must have no parent).</summary>
    public void AttachTo(ThreadNode parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        Parent = parent;
        Previous = parent.LastChild;
        Next = null;
        if (parent.LastChild is null)
        {
            parent.FirstChild = this;
        }
        else
        {
            parent.LastChild.Next = this;
        }

        parent.LastChild = this;
    }

    /// <summary>Takes this node out of its parent's children.</summary>
    public void Detach()
    {
        if (Parent is null)
        {
            return;
        }

        if (Previous is null)
        {
            Parent.FirstChild = Next;
        }
        else
        {
            Previous.Next = Next;
        }

        if (Next is null)
        {
            Parent.LastChild = Previous;
        }
        else
        {
            Next.Previous = Previous;
        }

        Parent = null;
        Next = null;
        Previous = null;
    }

    /// <summary>The children, in order, as a new list (callers may relink them while walking it).</summary>
    public List<ThreadNode> Children()
    {
        List<ThreadNode> children = [];
        for (ThreadNode? child = FirstChild; child is not null; child = child.Next)
        {
            children.Add(child);
        }

        return children;
    }
}

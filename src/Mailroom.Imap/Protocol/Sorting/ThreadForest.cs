using System.Buffers;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// The containers of RFC 5256 §3 in pooled arrays, linked by index: node <see cref="Root"/> holds the threads, every
/// other node is a message (an index into <see cref="Messages"/>) or a dummy standing for one that was referenced but
/// is not in the result. Children are a doubly linked list, so a link is made or broken in constant time. Nothing is
/// allocated per node: a THREAD of a large folder creates no garbage beyond the arrays, which go back to the pool on
/// <see cref="Dispose"/>.
/// </summary>
internal sealed class ThreadForest : IDisposable
{
    public const int None = -1;
    public const int Root = 0;

    private int[] _message;
    private int[] _parent;
    private int[] _firstChild;
    private int[] _lastChild;
    private int[] _next;
    private int[] _previous;
    private readonly Comparison<int> _byDate;

    /// <param name="messages">The messages the nodes stand for.</param>
    /// <param name="capacity">The most nodes there will be, the root included.</param>
    public ThreadForest(SortableMessage[] messages, int capacity)
    {
        Messages = messages;
        _byDate = CompareByDate;
        _message = ArrayPool<int>.Shared.Rent(capacity);
        _parent = ArrayPool<int>.Shared.Rent(capacity);
        _firstChild = ArrayPool<int>.Shared.Rent(capacity);
        _lastChild = ArrayPool<int>.Shared.Rent(capacity);
        _next = ArrayPool<int>.Shared.Rent(capacity);
        _previous = ArrayPool<int>.Shared.Rent(capacity);
        Add(None);
    }

    public SortableMessage[] Messages { get; }

    /// <summary>How many nodes there are, the root included.</summary>
    public int Count { get; private set; }

    /// <summary>A new node without parent or children: a message (its index in <see cref="Messages"/>) or a dummy (<see cref="None"/>).</summary>
    public int Add(int message)
    {
        int node = Count++;
        _message[node] = message;
        _parent[node] = None;
        _firstChild[node] = None;
        _lastChild[node] = None;
        _next[node] = None;
        _previous[node] = None;
        return node;
    }

    /// <summary>The node's message index, or <see cref="None"/> for a dummy.</summary>
    public int MessageOf(int node) => _message[node];

    public void SetMessage(int node, int message) => _message[node] = message;

    public bool IsDummy(int node) => _message[node] == None;

    public int Parent(int node) => _parent[node];

    public int FirstChild(int node) => _firstChild[node];

    public int LastChild(int node) => _lastChild[node];

    public int Next(int node) => _next[node];

    public int Previous(int node) => _previous[node];

    public bool HasChildren(int node) => _firstChild[node] != None;

    /// <summary>The message standing for the node in date order and subject lookups: its own, or a dummy's first child's (<see cref="None"/> if neither).</summary>
    public int Representative(int node)
    {
        while (node != None && _message[node] == None)
        {
            node = _firstChild[node];
        }

        return node == None ? None : _message[node];
    }

    /// <summary>RFC 5256 §2.2 sent date of the node's representative, or <see cref="long.MinValue"/> when it has none.</summary>
    public long SentDate(int node)
    {
        int message = Representative(node);
        return message == None ? long.MinValue : Messages[message].SentDate;
    }

    /// <summary>Makes <paramref name="node"/> the last child of <paramref name="parent"/> (it must have no parent).</summary>
    public void Attach(int node, int parent)
    {
        int last = _lastChild[parent];
        _parent[node] = parent;
        _previous[node] = last;
        _next[node] = None;
        if (last == None)
        {
            _firstChild[parent] = node;
        }
        else
        {
            _next[last] = node;
        }

        _lastChild[parent] = node;
    }

    /// <summary>Takes <paramref name="node"/> out of its parent's children.</summary>
    public void Detach(int node)
    {
        int parent = _parent[node];
        if (parent == None)
        {
            return;
        }

        int previous = _previous[node];
        int next = _next[node];
        if (previous == None)
        {
            _firstChild[parent] = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == None)
        {
            _lastChild[parent] = previous;
        }
        else
        {
            _previous[next] = previous;
        }

        _parent[node] = None;
        _next[node] = None;
        _previous[node] = None;
    }

    /// <summary>Moves every child of <paramref name="from"/>, in order, to the end of <paramref name="to"/>'s children.</summary>
    public void MoveChildren(int from, int to)
    {
        for (int child = _firstChild[from]; child != None;)
        {
            int next = _next[child];
            Detach(child);
            Attach(child, to);
            child = next;
        }
    }

    /// <summary>
    /// Sorts every node's children by sent date (a dummy by its representative), ties by sequence number, as RFC 5256
    /// §3 step 6 asks, deepest first (a dummy's place depends on its first child); sibling lists already in that order
    /// (replies usually arrive in it) are left as they are.
    /// </summary>
    public void SortAllChildrenByDate(CancellationToken cancellationToken)
    {
        // The nodes under the root, parents before children (an explicit stack: a chain as long as the folder is fine).
        int[] order = ArrayPool<int>.Shared.Rent(Count);
        int[] scratch = ArrayPool<int>.Shared.Rent(Count);
        try
        {
            int listed = 0;
            int pending = 0;
            scratch[pending++] = Root;
            while (pending > 0)
            {
                int node = scratch[--pending];
                order[listed++] = node;
                for (int child = _firstChild[node]; child != None; child = _next[child])
                {
                    scratch[pending++] = child;
                }
            }

            for (int i = listed - 1; i >= 0; i--)
            {
                if ((i & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                SortChildren(order[i], scratch);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_message);
        ArrayPool<int>.Shared.Return(_parent);
        ArrayPool<int>.Shared.Return(_firstChild);
        ArrayPool<int>.Shared.Return(_lastChild);
        ArrayPool<int>.Shared.Return(_next);
        ArrayPool<int>.Shared.Return(_previous);
        _message = _parent = _firstChild = _lastChild = _next = _previous = [];
        Count = 0;
    }

    /// <summary>Sorts the children of <paramref name="parent"/> alone by sent date (as <see cref="SortAllChildrenByDate"/> does each node's).</summary>
    public void SortChildrenByDate(int parent)
    {
        int[] scratch = ArrayPool<int>.Shared.Rent(Count);
        try
        {
            SortChildren(parent, scratch);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    private void SortChildren(int parent, int[] scratch)
    {
        int first = _firstChild[parent];
        if (first == None || _next[first] == None || InDateOrder(parent))
        {
            return;
        }

        int count = 0;
        for (int child = first; child != None; child = _next[child])
        {
            scratch[count++] = child;
        }

        Span<int> children = scratch.AsSpan(0, count);
        children.Sort(_byDate);
        foreach (int child in children)
        {
            Detach(child);
            Attach(child, parent);
        }
    }

    private bool InDateOrder(int parent)
    {
        for (int child = _firstChild[parent]; _next[child] != None; child = _next[child])
        {
            if (CompareByDate(child, _next[child]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private int CompareByDate(int a, int b)
    {
        int x = Representative(a);
        int y = Representative(b);
        if (x == None || y == None)
        {
            return (x == None).CompareTo(y == None);
        }

        int byDate = Messages[x].SentDate.CompareTo(Messages[y].SentDate);
        return byDate != 0 ? byDate : Messages[x].Sequence.CompareTo(Messages[y].Sequence);
    }
}

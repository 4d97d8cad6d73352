using System.Text;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// Writes threads as RFC 5256 §4 thread-lists: <c>(2)(3 6 (4 23)(44 7 96))</c>. A message with one child continues
/// the list; with several, each child's subtree is a nested list; a dummy is only its children's nested lists.
/// Iterative, so a reply chain as long as the mailbox cannot overflow the stack.
/// </summary>
internal static class ThreadFormatter
{
    public static void Append(StringBuilder output, IReadOnlyList<ThreadNode> threads)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(threads);
        var pending = new Stack<(ThreadNode? Node, string? Text)>();
        foreach (ThreadNode thread in threads)
        {
            output.Append('(');
            pending.Push((null, ")"));
            pending.Push((thread, null));
            while (pending.Count > 0)
            {
                (ThreadNode? node, string? text) = pending.Pop();
                if (node is null)
                {
                    output.Append(text);
                    continue;
                }

                if (node.Message is { } message)
                {
                    output.Append(message.Number);
                    if (node.FirstChild is null)
                    {
                        continue;
                    }

                    output.Append(' ');
                    if (node.FirstChild.Next is null)
                    {
                        pending.Push((node.FirstChild, null));
                        continue;
                    }
                }

                // Several children (or a dummy's): each a nested list, pushed in reverse to come out in order.
                for (ThreadNode? child = node.LastChild; child is not null; child = child.Previous)
                {
                    pending.Push((null, ")"));
                    pending.Push((child, null));
                    pending.Push((null, "("));
                }
            }
        }
    }
}

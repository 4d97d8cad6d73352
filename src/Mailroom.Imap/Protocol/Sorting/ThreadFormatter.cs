using System.Buffers;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// Writes threads as RFC 5256 §4 thread-lists: <c>(2)(3 6 (4 23)(44 7 96))</c>. A message with one child continues
/// the list; with several, each child's subtree is a nested list; a dummy is only its children's nested lists.
/// Straight into the response's buffer, iteratively (an explicit pooled stack), so a reply chain as long as the
/// mailbox neither overflows the stack nor builds the line as a string first.
/// </summary>
internal static class ThreadFormatter
{
    // Stack entries besides node indexes (which are never negative).
    private const int Open = -1;
    private const int Close = -2;

    public static void Write(IBufferWriter<byte> output, ThreadForest forest)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(forest);

        // Each node pushes at most three entries per child, and each thread two more.
        int[] pending = ArrayPool<int>.Shared.Rent((3 * forest.Count) + 2);
        var text = new ResponseChunkWriter(output);
        try
        {
            for (int thread = forest.FirstChild(ThreadForest.Root); thread != ThreadForest.None; thread = forest.Next(thread))
            {
                int count = 0;
                pending[count++] = Close;
                pending[count++] = thread;
                pending[count++] = Open;
                while (count > 0)
                {
                    int entry = pending[--count];
                    if (entry == Open)
                    {
                        text.Write((byte)'(');
                        continue;
                    }

                    if (entry == Close)
                    {
                        text.Write((byte)')');
                        continue;
                    }

                    int first = forest.FirstChild(entry);
                    int message = forest.MessageOf(entry);
                    if (message != ThreadForest.None)
                    {
                        text.Write(forest.Messages[message].Number);
                        if (first == ThreadForest.None)
                        {
                            continue;
                        }

                        text.Write((byte)' ');
                        if (forest.Next(first) == ThreadForest.None)
                        {
                            pending[count++] = first;
                            continue;
                        }
                    }

                    // Several children (or a dummy's): each a nested list, pushed in reverse to come out in order.
                    for (int child = forest.LastChild(entry); child != ThreadForest.None; child = forest.Previous(child))
                    {
                        pending[count++] = Close;
                        pending[count++] = child;
                        pending[count++] = Open;
                    }
                }
            }

            text.Flush();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(pending);
        }
    }
}

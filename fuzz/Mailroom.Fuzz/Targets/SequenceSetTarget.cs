using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// sequence-set (RFC 9051 §9): parse, then check what the commands rely on. The first byte is the mailbox size
/// (0..255 messages), the rest the set. Expanding a set costs at most the mailbox size, whatever ranges it names;
/// the expansion is ascending without duplicates, agrees with <see cref="SequenceSet.Contains"/>, and the set's
/// printed form and the compact form of its expansion parse back to the same numbers.
/// </summary>
internal sealed class SequenceSetTarget : FuzzTarget
{
    private static readonly uint[] SampleUids = [1, 2, 3, 7, 8, 100, 101, 4_000_000_000, uint.MaxValue];

    public override string Name => "imap-sequence-set";

    public override string Description => "IMAP sequence sets: parse, expand, print, membership";

    public override int MaxLength => 16 * 1024;

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        int count = input[0];
        string text = Encoding.Latin1.GetString(input[1..]);
        if (!SequenceSet.TryParse(text, out SequenceSet set) || set.IsSavedResult)
        {
            return;
        }

        IReadOnlyList<int> numbers = set.ToSequenceNumbers(count);
        if (numbers.Count > count)
        {
            throw new FuzzFailureException($"{numbers.Count} numbers for a mailbox of {count}");
        }

        for (int i = 0; i < numbers.Count; i++)
        {
            if (numbers[i] < 1 || numbers[i] > count || (i > 0 && numbers[i] <= numbers[i - 1]))
            {
                throw new FuzzFailureException($"expansion of {text} is not ascending within 1..{count}: {string.Join(',', numbers)}");
            }
        }

        for (int n = 1; n <= count; n++)
        {
            if (set.Contains((uint)n, (uint)count) != ContainsSorted(numbers, n))
            {
                throw new FuzzFailureException($"{text}: Contains({n}) disagrees with the expansion for {count} messages");
            }
        }

        if (!SequenceSet.TryParse(set.ToString(), out SequenceSet printed)
            || !printed.ToSequenceNumbers(count).SequenceEqual(numbers))
        {
            throw new FuzzFailureException($"{text} printed as {set}, which names other numbers");
        }

        string compact = SequenceSet.Format(numbers.Select(static n => (uint)n));
        if (numbers.Count > 0 && (!SequenceSet.TryParse(compact, out SequenceSet reparsed) || !reparsed.ToSequenceNumbers(count).SequenceEqual(numbers)))
        {
            throw new FuzzFailureException($"compact form {compact} of {text} names other numbers");
        }

        IReadOnlyList<uint> uids = set.ToUids(SampleUids);
        if (uids.Any(uid => !set.Contains(uid, SampleUids[^1])))
        {
            throw new FuzzFailureException($"{text}: ToUids returned a UID the set does not contain");
        }

        _ = set.ContainsOutOfRange(count);
    }

    private static bool ContainsSorted(IReadOnlyList<int> numbers, int n)
    {
        int low = 0;
        int high = numbers.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (numbers[middle] == n)
            {
                return true;
            }

            if (numbers[middle] < n)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }
}

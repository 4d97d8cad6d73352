using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>
/// The UID set of a <c>VANISHED (EARLIER)</c> response (RFC 7162 §3.2.5.1 on SELECT/EXAMINE with QRESYNC, §3.2.6 on
/// UID FETCH … (CHANGEDSINCE n VANISHED)): the UIDs the client may know that were expunged after a mod-sequence. When the
/// folder's memory of expunges does not reach back that far, every UID the client may know that is not in the
/// mailbox is sent instead — a larger set, which the RFC allows, never a wrong one. Costs what the mailbox and the
/// client's set hold, never what the UID numbers span.
/// </summary>
internal static class VanishedUids
{
    /// <summary>
    /// The set, formatted ("3:5,9"); empty when nothing vanished. <paramref name="known"/> is the client's UID set
    /// (known-uids, or the UID FETCH set), null for every UID; UIDs still in <paramref name="mailbox"/>'s message list
    /// are never among them (the client is told of those by a later VANISHED once expunges may be sent). UIDs up to
    /// <paramref name="unchangedThrough"/> are known to the server not to have vanished (<see cref="MatchedThrough"/>).
    /// </summary>
    public static string Compute(SelectedMailbox mailbox, ulong modSeq, SequenceSet? known, uint unchangedThrough = 0)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        // The highest UID the mailbox ever assigned: "*" in the client's set, and the end of what it may know.
        uint highest = mailbox.UidNext - 1;
        if (highest == 0)
        {
            return string.Empty;
        }

        IReadOnlyList<(uint First, uint Last)> ranges = known?.GetRanges(highest) ?? [(1u, highest)];
        ExpungedSince expunged = mailbox.Folder.GetExpungedSince(modSeq);
        if (expunged.Complete)
        {
            return SequenceSet.Format(expunged.Uids.Where(uid => mailbox.IndexOfUid(uid) < 0 && InRanges(ranges, uid)));
        }

        return FormatAbsent(mailbox.Uids, ranges, unchangedThrough, highest);
    }

    /// <summary>
    /// RFC 7162 §3.2.5.2 seq-match-data: pairs of a message sequence number and the UID the client holds at it, both
    /// ascending. While the mailbox holds the same UID at the same number, no message below that UID has vanished
    /// (UIDs only grow, so an equal count below means none left); returns the highest UID so confirmed, 0 for none.
    /// Stops at the first pair that does not match, or when either set runs out.
    /// </summary>
    public static uint MatchedThrough(SelectedMailbox mailbox, SequenceSet sequenceNumbers, SequenceSet uids)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(sequenceNumbers);
        ArgumentNullException.ThrowIfNull(uids);
        uint highest = Math.Max(1, mailbox.UidNext - 1);
        using IEnumerator<uint> numbers = Values(sequenceNumbers.GetRanges((uint)Math.Max(1, mailbox.Count))).GetEnumerator();
        using IEnumerator<uint> expected = Values(uids.GetRanges(highest)).GetEnumerator();
        uint matched = 0;
        while (numbers.MoveNext() && expected.MoveNext())
        {
            uint number = numbers.Current;
            if (number == 0 || number > mailbox.Count || mailbox.Messages[(int)number - 1].Uid != expected.Current)
            {
                break;
            }

            matched = expected.Current;
        }

        return matched;
    }

    private static IEnumerable<uint> Values(IReadOnlyList<(uint First, uint Last)> ranges)
    {
        foreach ((uint first, uint last) in ranges)
        {
            for (ulong value = first; value <= last; value++)
            {
                yield return (uint)value;
            }
        }
    }

    /// <summary>
    /// Every UID of <paramref name="ranges"/> above <paramref name="unchangedThrough"/> and up to <paramref name="highest"/>
    /// that is not in <paramref name="present"/> (ascending).
    /// </summary>
    private static string FormatAbsent(IReadOnlyList<uint> present, IReadOnlyList<(uint First, uint Last)> ranges, uint unchangedThrough, uint highest)
    {
        var text = new StringBuilder();
        int next = 0;
        foreach ((uint rangeFirst, uint rangeLast) in ranges)
        {
            if (rangeFirst > highest)
            {
                break;
            }

            if (rangeLast <= unchangedThrough)
            {
                continue;
            }

            uint first = Math.Max(rangeFirst, unchangedThrough + 1);
            uint last = Math.Min(rangeLast, highest);
            while (next < present.Count && present[next] < first)
            {
                next++;
            }

            // Walk the gaps between the present UIDs inside [first, last].
            ulong from = first;
            while (from <= last)
            {
                if (next < present.Count && present[next] <= last)
                {
                    uint at = present[next++];
                    Append(text, from, (ulong)at - 1);
                    from = (ulong)at + 1;
                }
                else
                {
                    Append(text, from, last);
                    break;
                }
            }
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, ulong first, ulong last)
    {
        if (first > last)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(CultureInfo.InvariantCulture, $"{first}");
        if (first != last)
        {
            text.Append(CultureInfo.InvariantCulture, $":{last}");
        }
    }

    private static bool InRanges(IReadOnlyList<(uint First, uint Last)> ranges, uint uid)
    {
        int low = 0;
        int high = ranges.Count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (ranges[middle].First > uid)
            {
                high = middle - 1;
            }
            else if (ranges[middle].Last < uid)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}

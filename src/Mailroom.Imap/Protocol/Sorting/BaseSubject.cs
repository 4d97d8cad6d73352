using System.Text;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// The base subject of RFC 5256 §2.1, which SORT SUBJECT and both THREAD algorithms compare: the Subject with
/// encoded words decoded and the reply and forward markers ("Re:", "Fwd:", "[list]" tags, "(fwd)", "[Fwd: ...]")
/// taken off. Each step removes text from an end of the string and never rescans what it kept, so the cost is linear
/// in the subject however many markers a sender stacks up.
/// </summary>
internal static class BaseSubject
{
    /// <summary>
    /// The base subject of a raw (unfolded, possibly encoded) Subject value. <paramref name="isReplyOrForward"/> tells
    /// whether a "Re:"/"Fwd:"-style marker was removed (RFC 5256 §2.1, used by §3's subject merging).
    /// </summary>
    public static string Extract(string? subject, out bool isReplyOrForward)
    {
        isReplyOrForward = false;
        if (string.IsNullOrEmpty(subject))
        {
            return string.Empty;
        }

        // (1) Encoded words to UTF-8; tabs and continuations to a space; runs of spaces to one.
        string text = CollapseWhitespace(EncodedWords.Decode(subject));
        int start = 0;
        int end = text.Length;
        while (true)
        {
            // (2) Remove trailing "(fwd)" and blanks, repeatedly.
            while (end > start)
            {
                if (text[end - 1] == ' ')
                {
                    end--;
                }
                else if (end - start >= 5 && text.AsSpan(end - 5, 5).Equals("(fwd)", StringComparison.OrdinalIgnoreCase))
                {
                    end -= 5;
                    isReplyOrForward = true;
                }
                else
                {
                    break;
                }
            }

            // (3), (4), (5): remove leaders and leading blobs until neither matches. A leader that failed after a run
            // of blobs fails from every later blob of that run too (the same run end, the same word after it), so
            // (4) peeling "[a][b][c]..." one blob at a time does not rescan the run: linear, not quadratic.
            int leaderFailsThrough = -1;
            bool removed = true;
            while (removed)
            {
                removed = false;
                while (true)
                {
                    if (start < end && text[start] == ' ')
                    {
                        start++;
                        removed = true;
                    }
                    else if (start > leaderFailsThrough && MatchLeader(text, start, end, out leaderFailsThrough) is int after and > 0)
                    {
                        start = after;
                        isReplyOrForward = true;
                        removed = true;
                    }
                    else
                    {
                        break;
                    }
                }

                // (4) A leading blob goes when a non-empty base subject is left after it.
                if (MatchBlob(text, start, end) is int afterBlob and > 0 && afterBlob < end)
                {
                    start = afterBlob;
                    removed = true;
                }
            }

            // (6) "[fwd: ... ]" around the whole subject: unwrap it and start again at (2).
            if (end - start >= 6 && text.AsSpan(start, 5).Equals("[fwd:", StringComparison.OrdinalIgnoreCase) && text[end - 1] == ']')
            {
                start += 5;
                end--;
                isReplyOrForward = true;
                continue;
            }

            return text[start..end];
        }
    }

    /// <summary>The text with tabs made spaces and each run of spaces one space (RFC 5256 §2.1 step 1).</summary>
    private static string CollapseWhitespace(string text)
    {
        var output = new StringBuilder(text.Length);
        bool blank = false;
        foreach (char c in text)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!blank)
                {
                    output.Append(' ');
                }

                blank = true;
            }
            else
            {
                output.Append(c);
                blank = false;
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// subj-leader's first alternative: <c>*subj-blob subj-refwd</c>, with
    /// <c>subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"</c>. Returns the index after it, or -1;
    /// <paramref name="blobRunEnd"/> is where the leading blobs ended.
    /// </summary>
    private static int MatchLeader(string text, int start, int end, out int blobRunEnd)
    {
        int at = start;
        while (MatchBlob(text, at, end) is int after and > 0)
        {
            at = after;
        }

        blobRunEnd = at;
        int word = MatchRefwdWord(text, at, end);
        if (word < 0)
        {
            return -1;
        }

        at = word;
        while (at < end && text[at] == ' ')
        {
            at++;
        }

        if (MatchBlob(text, at, end) is int afterBlob and > 0)
        {
            at = afterBlob;
        }

        if (at < end && text[at] == ':')
        {
            return at + 1;
        }

        return -1;
    }

    /// <summary>"re", "fwd" or "fw" (any case) at <paramref name="at"/>: the index after it, or -1.</summary>
    private static int MatchRefwdWord(string text, int at, int end)
    {
        if (end - at >= 2 && text.AsSpan(at, 2).Equals("re", StringComparison.OrdinalIgnoreCase))
        {
            return at + 2;
        }

        if (end - at >= 2 && text.AsSpan(at, 2).Equals("fw", StringComparison.OrdinalIgnoreCase))
        {
            return end - at >= 3 && text[at + 2] is 'd' or 'D' ? at + 3 : at + 2;
        }

        return -1;
    }

    /// <summary><c>subj-blob = "[" *BLOBCHAR "]" *WSP</c>, BLOBCHAR being anything but brackets: the index after it, or -1.</summary>
    private static int MatchBlob(string text, int at, int end)
    {
        if (at >= end || text[at] != '[')
        {
            return -1;
        }

        int close = text.AsSpan(at + 1, end - at - 1).IndexOfAny('[', ']');
        if (close < 0 || text[at + 1 + close] != ']')
        {
            return -1;
        }

        int after = at + close + 2;
        while (after < end && text[after] == ' ')
        {
            after++;
        }

        return after;
    }
}

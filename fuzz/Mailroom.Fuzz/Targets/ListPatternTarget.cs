using System.Text;
using Mailroom.Imap.Commands;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// LIST/LSUB matching (RFC 9051 §6.3.9): reference and pattern (with "*" and "%") against mailbox names, compiled the
/// way LIST compiles it (for the longest name listed). The input is NUL-separated: reference, pattern, then the names.
/// Every answer must be the one of a plain dynamic-programming matcher of the RFC's definition, and the compiled
/// matcher must stay linear however many wildcards the pattern holds.
/// </summary>
internal sealed class ListPatternTarget : FuzzTarget
{
    public override string Name => "imap-list-pattern";

    public override string Description => "IMAP LIST reference and pattern matching with * and %, against a reference matcher";

    public override int MaxLength => 4096;

    public override string? Dictionary => "imap.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string[] fields = Encoding.UTF8.GetString(input).Split('\0');
        if (fields.Length < 3)
        {
            return;
        }

        string pattern = MailboxPattern.Combine(fields[0], fields[1]);
        string[] names = fields[2..];
        MailboxPattern matcher = MailboxPattern.Compile(pattern, names.Max(static n => n.Length));
        foreach (string name in names)
        {
            bool matched = matcher.IsMatch(name);
            bool expected = ReferenceMatch(pattern, name);
            if (matched != expected)
            {
                throw new FuzzFailureException($"pattern \"{pattern}\" against \"{name}\": {matched}, the reference matcher says {expected}");
            }
        }
    }

    /// <summary>
    /// RFC 9051 §6.3.9 by the book: "*" matches zero or more characters, "%" zero or more but the hierarchy delimiter,
    /// anything else itself. matches[j] says whether the pattern read so far matches the first j characters.
    /// </summary>
    private static bool ReferenceMatch(string pattern, string name)
    {
        bool[] matches = new bool[name.Length + 1];
        bool[] next = new bool[name.Length + 1];
        matches[0] = true;
        foreach (char p in pattern)
        {
            Array.Clear(next);
            for (int j = 0; j <= name.Length; j++)
            {
                next[j] = p switch
                {
                    '*' => matches[j] || (j > 0 && next[j - 1]),
                    '%' => matches[j] || (j > 0 && next[j - 1] && name[j - 1] != MailboxPattern.Delimiter),
                    _ => j > 0 && matches[j - 1] && name[j - 1] == p,
                };
            }

            (matches, next) = (next, matches);
        }

        return matches[name.Length];
    }
}

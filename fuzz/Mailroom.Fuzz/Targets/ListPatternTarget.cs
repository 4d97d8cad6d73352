using System.Text;
using Mailroom.Imap.Commands;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// LIST/LSUB matching (RFC 9051 §6.3.9): reference and pattern (with "*" and "%") against mailbox names. The input is
/// NUL-separated: reference, pattern, then the names to match.
/// </summary>
internal sealed class ListPatternTarget : FuzzTarget
{
    public override string Name => "imap-list-pattern";

    public override string Description => "IMAP LIST reference and pattern matching with * and %";

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
        foreach (string name in fields.Skip(2))
        {
            bool matched = MailboxPattern.IsMatch(pattern, name);
            if (!pattern.Contains('*') && !pattern.Contains('%') && matched != (pattern == name))
            {
                throw new FuzzFailureException($"pattern {pattern} without wildcards matched {name} = {matched}");
            }

            if (pattern == "*" && !matched)
            {
                throw new FuzzFailureException($"* did not match {name}");
            }
        }
    }
}

using System.Text;
using Mailroom.Store.Maildir;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Maildir file names as other programs (Dovecot, Postfix's virtual, getmail, a restored backup) leave them in a
/// mailbox: base name, <c>:2,</c> flag letters, Dovecot's <c>,S=</c>/<c>,W=</c> sizes and the delivery order the
/// store sorts by. The input is newline-separated names; the sort must be a total order (the same result from any
/// starting order).
/// </summary>
internal sealed class MaildirFileNameTarget : FuzzTarget
{
    public override string Name => "maildir-filename";

    public override string Description => "Maildir file names: base, flag letters, S=/W= sizes, delivery order";

    public override int MaxLength => 16 * 1024;

    public override void Run(ReadOnlySpan<byte> input)
    {
        string[] names = Encoding.UTF8.GetString(input).Split('\n');
        foreach (string name in names)
        {
            string baseName = MaildirFileName.BaseName(name);
            string letters = MaildirFileName.InfoLetters(name);
            if (baseName.Contains(':', StringComparison.Ordinal) || baseName.Length > name.Length || letters.Length > name.Length)
            {
                throw new FuzzFailureException($"{name}: base {baseName}, letters {letters}");
            }

            long size = MaildirFileName.SizeField(name, 'S');
            long wireSize = MaildirFileName.SizeField(name, 'W');
            if (size < -1 || wireSize < -1)
            {
                throw new FuzzFailureException($"{name}: negative size field");
            }

            string withSeen = MaildirFileName.WithLetter(letters, 'S');
            if (!withSeen.Contains('S', StringComparison.Ordinal) || MaildirFileName.WithLetter(withSeen, 'S') != withSeen)
            {
                throw new FuzzFailureException($"{name}: adding S to {letters} gave {withSeen}");
            }

            string cur = MaildirFileName.CurName(baseName, withSeen);
            if (MaildirFileName.BaseName(cur) != baseName)
            {
                throw new FuzzFailureException($"{name}: cur name {cur} has another base name");
            }

            _ = MaildirFileName.IsMessageName(name);
        }

        List<string> forward = [.. names];
        List<string> backward = [.. names.Reverse()];
        MaildirFileName.SortByDeliveryOrder(forward, static n => n);
        MaildirFileName.SortByDeliveryOrder(backward, static n => n);
        if (!forward.SequenceEqual(backward, StringComparer.Ordinal))
        {
            throw new FuzzFailureException("delivery order depends on the starting order");
        }
    }
}

using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Commands;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>mailboxexists &lt;mailbox-names&gt;</c> (RFC 5490 §3.1): every named folder exists (INBOX always does).</summary>
internal sealed class MailboxExistsTest(SieveStringList names, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        while (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        SieveStringList? names = reader.StringList("mailbox names");
        return reader.Finish() && names is not null ? new MailboxExistsTest(names, node.Position) : null;
    }

    public override bool Evaluate(ScriptRun run)
    {
        foreach (string name in names.Evaluate(run))
        {
            bool exists = name.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
                || (StoreFlags.IsValidFolder(name) && run.Host.FolderExists(name));
            if (!exists)
            {
                return false;
            }
        }

        return true;
    }
}

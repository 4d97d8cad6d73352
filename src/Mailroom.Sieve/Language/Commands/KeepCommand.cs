using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary><c>keep [:flags &lt;list&gt;]</c> (RFC 5228 §4.3, RFC 5232 §5): store into the default folder (INBOX, or the folder the address detail names).</summary>
internal sealed class KeepCommand(SieveStringList? flags, SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        SieveStringList? flags = null;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name == "flags" && context.IsEnabled(SieveExtensions.Imap4flags) && flags is null)
            {
                flags = reader.TagStringList(tag);
            }
            else
            {
                reader.UnknownTag(tag);
            }
        }

        return reader.Finish() ? new KeepCommand(flags, node.Position) : null;
    }

    public override Flow Execute(ScriptRun run)
    {
        run.Result.AddStore(new StoreMessageAction(run.Script.Name, Position, run.Host.DefaultFolder, StoreFlags.Resolve(run, flags), Create: false, Copy: false));
        return Flow.Next;
    }
}

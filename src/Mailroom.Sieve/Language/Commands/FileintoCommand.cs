using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>fileinto [:copy] [:create] [:flags &lt;list&gt;] &lt;folder&gt;</c> (RFC 5228 §4.1, RFC 3894, RFC 5490 §3.2,
/// RFC 5232 §5). Without <c>:create</c> a folder that does not exist gets the message into INBOX instead (the run's
/// executor decides; Pigeonhole does the same after logging the failure).
/// </summary>
internal sealed class FileintoCommand(SieveString folder, SieveStringList? flags, bool create, bool copy, SourcePosition position)
    : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        SieveStringList? flags = null;
        bool create = false;
        bool copy = false;
        while (reader.NextTag(out AstTag tag))
        {
            switch (tag.Name)
            {
                case "flags" when context.IsEnabled(SieveExtensions.Imap4flags):
                    if (flags is not null)
                    {
                        reader.DuplicateTag(tag);
                    }

                    flags = reader.TagStringList(tag);
                    break;
                case "create" when context.IsEnabled(SieveExtensions.Mailbox):
                    create = true;
                    break;
                case "copy" when context.IsEnabled(SieveExtensions.Copy):
                    copy = true;
                    break;
                default:
                    reader.UnknownTag(tag);
                    break;
            }
        }

        SieveString? folder = reader.String("folder");
        if (!reader.Finish() || folder is null)
        {
            return null;
        }

        return new FileintoCommand(folder, flags, create, copy, node.Position);
    }

    public override Flow Execute(ScriptRun run)
    {
        string name = folder.Evaluate(run);
        if (!StoreFlags.IsValidFolder(name))
        {
            throw new SieveRuntimeException(Position, $"specified mailbox name '{name}' is invalid");
        }

        run.Result.AddStore(new StoreMessageAction(run.Script.Name, Position, name, StoreFlags.Resolve(run, flags), create, copy));
        return Flow.Next;
    }
}

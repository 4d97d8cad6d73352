using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>ihave &lt;capabilities&gt;</c> (RFC 5463 §3): true when every named extension is available here. Known when the
/// script is validated, since the set of extensions does not change while it runs.
/// </summary>
internal sealed class IhaveTest(IReadOnlyList<string> extensions, bool available, SourcePosition position) : SieveTest(position)
{
    public IReadOnlyList<string> Extensions { get; } = extensions;

    public bool Available { get; } = available;

    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        while (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        SieveStringList? names = reader.StringList("capabilities");
        if (!reader.Finish() || names is null)
        {
            return null;
        }

        if (!names.IsConstant)
        {
            context.Error(names.Position, "the ihave test requires constant capability names");
            return null;
        }

        List<string> extensions = [.. names.Items.Select(i => i.Constant)];
        bool available = extensions.TrueForAll(e => SieveExtensions.IsKnown(e) && context.IsAvailable(e));
        return new IhaveTest(extensions, available, node.Position);
    }

    public override bool Evaluate(ScriptRun run) => Available;
}

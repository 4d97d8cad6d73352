using System.Globalization;
using System.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>set [modifiers] &lt;name&gt; &lt;value&gt;</c> (RFC 5229 §4): the modifiers apply highest precedence first
/// (:lower/:upper 40, :lowerfirst/:upperfirst 30, :quotewildcard/:quoteregex 20, :length 10); two of one precedence
/// are an error.
/// </summary>
internal sealed class SetCommand(string name, bool global, SieveString value, IReadOnlyList<string> modifiers, SourcePosition position)
    : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        var modifiers = new SortedDictionary<int, string>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        while (reader.NextTag(out AstTag tag))
        {
            int precedence = tag.Name switch
            {
                "lower" or "upper" => 40,
                "lowerfirst" or "upperfirst" => 30,
                "quotewildcard" => 20,
                "quoteregex" when context.IsEnabled(SieveExtensions.Regex) => 20,
                "length" => 10,
                _ => 0,
            };
            if (precedence == 0)
            {
                reader.UnknownTag(tag);
            }
            else if (!modifiers.TryAdd(precedence, tag.Name))
            {
                context.Error(tag.Position, $"modifiers :{modifiers[precedence]} and :{tag.Name} of the set command have the same precedence");
            }
        }

        SieveString? nameArgument = reader.String("name");
        SieveString? value = reader.String("value");
        if (!reader.Finish() || nameArgument is null || value is null)
        {
            return null;
        }

        if (!nameArgument.IsConstant)
        {
            context.Error(nameArgument.Position, "the set command requires a constant variable name");
            return null;
        }

        string name = nameArgument.Constant;
        bool global = false;
        if (name.StartsWith("global.", StringComparison.OrdinalIgnoreCase) && context.IsEnabled(SieveExtensions.Include))
        {
            name = name["global.".Length..];
            global = true;
        }

        if (!StringCompiler.IsIdentifier(name))
        {
            context.Error(nameArgument.Position, $"invalid variable name '{nameArgument.Constant}' for the set command");
            return null;
        }

        global |= context.Globals.Contains(name);
        if (!global)
        {
            context.SetLocals.Add(name);
        }

        return new SetCommand(name, global, value, [.. modifiers.Values], node.Position);
    }

    public override Flow Execute(ScriptRun run)
    {
        string result = value.Evaluate(run);
        foreach (string modifier in modifiers)
        {
            result = Apply(modifier, result);
        }

        run.SetVariable(name, global, result, Position);
        return Flow.Next;
    }

    private static string Apply(string modifier, string text) => modifier switch
    {
        "lower" => text.ToLowerInvariant(),
        "upper" => text.ToUpperInvariant(),
        "lowerfirst" => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..],
        "upperfirst" => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..],
        "quotewildcard" => Quote(text, "*?\\"),
        "quoteregex" => Quote(text, "\\^$.[]*+?{}()|"),
        // RFC 5229 §4.1: the length in characters.
        _ => new StringInfo(text).LengthInTextElements.ToString(CultureInfo.InvariantCulture),
    };

    private static string Quote(string text, string specials)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (specials.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

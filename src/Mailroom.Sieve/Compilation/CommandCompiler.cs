using Mailroom.Sieve.Language;
using Mailroom.Sieve.Language.Commands;
using Mailroom.Sieve.Language.Tests;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// Validates blocks of commands: <c>require</c> only at the start of the script (RFC 5228 §3.2), <c>elsif</c>/<c>else</c>
/// only after <c>if</c> (§3.1), every other command and test looked up in <see cref="Definitions"/> and checked by its
/// own <c>Compile</c>. An <c>ihave</c> block whose extensions are not available is not validated (RFC 5463 §4).
/// </summary>
internal static class CommandCompiler
{
    public static Block CompileBlock(List<AstNode> nodes, CompileContext context, bool topLevel)
    {
        var commands = new List<SieveCommand>();
        bool requireAllowed = topLevel;
        for (int i = 0; i < nodes.Count && !context.TooManyErrors; i++)
        {
            AstNode node = nodes[i];
            if (node.Name == "require")
            {
                if (!requireAllowed)
                {
                    context.Error(node.Position, "require command can only be placed at top level at the beginning of the file");
                }
                else
                {
                    RequireCommand.Validate(node, context);
                }

                continue;
            }

            requireAllowed = false;
            if (node.Name == "if")
            {
                int end = i + 1;
                while (end < nodes.Count && nodes[end].Name is "elsif" or "else")
                {
                    end++;
                    if (nodes[end - 1].Name == "else")
                    {
                        break;
                    }
                }

                if (IfCommand.Compile(nodes.GetRange(i, end - i), context) is { } conditional)
                {
                    commands.Add(conditional);
                }

                i = end - 1;
                continue;
            }

            if (node.Name is "elsif" or "else")
            {
                context.Error(node.Position, $"the {node.Name} command must follow an if or elsif command");
                continue;
            }

            if (CompileCommand(node, context) is { } command)
            {
                commands.Add(command);
            }
        }

        return new Block(commands);
    }

    public static SieveTest? CompileTest(AstNode node, CompileContext context)
    {
        if (Definitions.Tests.TryGetValue(node.Name, out var definition))
        {
            if (definition.Extension is not null && !context.IsEnabled(definition.Extension))
            {
                context.Error(node.Position, $"unknown test '{node.Name}' (the \"{definition.Extension}\" extension must be required to use it)");
                return null;
            }

            return definition.Compile(node, context);
        }

        context.Error(node.Position, Definitions.Commands.ContainsKey(node.Name) || node.Name is "if" or "elsif" or "else" or "require"
            ? $"'{node.Name}' is a command, not a test"
            : $"unknown test '{node.Name}'");
        return null;
    }

    /// <summary>Exactly one test (if, elsif, not): anything else is an error.</summary>
    public static SieveTest? CompileSingleTest(AstNode node, CompileContext context, string what)
    {
        if (node.Tests.Count != 1 || node.TestList)
        {
            context.Error(node.Position, $"{what} requires one test, but {(node.Tests.Count == 0 ? "none" : "a test list")} was given");
            return null;
        }

        return CompileTest(node.Tests[0], context);
    }

    private static SieveCommand? CompileCommand(AstNode node, CompileContext context)
    {
        if (Definitions.Commands.TryGetValue(node.Name, out var definition))
        {
            if (definition.Extension is not null && !context.IsEnabled(definition.Extension))
            {
                context.Error(node.Position, $"unknown command '{node.Name}' (the \"{definition.Extension}\" extension must be required to use it)");
                return null;
            }

            return definition.Compile(node, context);
        }

        context.Error(node.Position, Definitions.Tests.ContainsKey(node.Name)
            ? $"'{node.Name}' is a test, not a command"
            : $"unknown command '{node.Name}'");
        return null;
    }
}

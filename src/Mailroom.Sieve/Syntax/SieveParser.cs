namespace Mailroom.Sieve.Syntax;

/// <summary>
/// The grammar of RFC 5228 §8.2 by recursive descent over the lexer's tokens, with nesting bounded (blocks and test
/// lists deeper than <see cref="MaxNesting"/> are refused, as Pigeonhole refuses them) so a hostile script cannot
/// exhaust the stack. Stops at the first syntax error.
/// </summary>
internal sealed class SieveParser
{
    /// <summary>Deepest nesting of blocks, and of tests, a script may have (Pigeonhole's limit too).</summary>
    public const int MaxNesting = 32;

    private readonly SieveLexer _lexer;
    private Token _current;
    private Token _previous;

    public SieveParser(string text)
    {
        _lexer = new SieveLexer(text);
        _current = _lexer.Next();
    }

    public List<(SourcePosition Position, string Message)> Warnings => _lexer.Warnings;

    /// <summary>Parses the whole script into its top-level commands.</summary>
    /// <exception cref="SieveSyntaxException">The script is malformed.</exception>
    public List<AstNode> ParseScript()
    {
        List<AstNode> commands = Commands(0);
        if (_current.Kind != TokenKind.EndOfScript)
        {
            throw new SieveSyntaxException(_current.Position, $"unexpected {_current.Describe()} found at the top level");
        }

        return commands;
    }

    private List<AstNode> Commands(int depth)
    {
        var commands = new List<AstNode>();
        while (_current.Kind == TokenKind.Identifier)
        {
            commands.Add(Command(depth));
        }

        return commands;
    }

    private AstNode Command(int depth)
    {
        var command = new AstNode(_current.Text.ToLowerInvariant(), _current.Position);
        Take();
        Arguments(command, 0);
        switch (_current.Kind)
        {
            case TokenKind.Semicolon:
                Take();
                return command;
            case TokenKind.LeftBrace:
                if (depth + 1 > MaxNesting)
                {
                    throw new SieveSyntaxException(_current.Position, $"cannot nest command blocks deeper than {MaxNesting} levels");
                }

                Take();
                command.Block = Commands(depth + 1);
                if (_current.Kind != TokenKind.RightBrace)
                {
                    throw new SieveSyntaxException(_current.Position, $"expecting '}}' to end the block of the '{command.Name}' command, but found {_current.Describe()}");
                }

                Take();
                return command;
            default:
                // Reported where the command's last token is (Pigeonhole does the same): the ';' belongs there.
                throw new SieveSyntaxException(_previous.Position, $"expected ';' or '{{' after the '{command.Name}' command, but found {_current.Describe()} at {_current.Position}");
        }
    }

    /// <summary><c>arguments = *argument [ test / test-list ]</c>.</summary>
    private void Arguments(AstNode node, int testDepth)
    {
        while (true)
        {
            switch (_current.Kind)
            {
                case TokenKind.Tag:
                    node.Arguments.Add(new AstTag(_current.Text.ToLowerInvariant(), _current.Position));
                    Take();
                    continue;
                case TokenKind.Number:
                    node.Arguments.Add(new AstNumber(_current.Number, _current.Position));
                    Take();
                    continue;
                case TokenKind.String:
                    node.Arguments.Add(new AstStringList([new AstString(_current.Text, _current.Position)], false, _current.Position));
                    Take();
                    continue;
                case TokenKind.LeftBracket:
                    node.Arguments.Add(StringList());
                    continue;
            }

            break;
        }

        if (_current.Kind == TokenKind.Identifier)
        {
            node.Tests.Add(Test(testDepth + 1));
        }
        else if (_current.Kind == TokenKind.LeftParenthesis)
        {
            node.TestList = true;
            SourcePosition open = _current.Position;
            Take();
            while (true)
            {
                if (_current.Kind != TokenKind.Identifier)
                {
                    throw new SieveSyntaxException(_current.Position, $"expecting a test in the test list, but found {_current.Describe()}");
                }

                node.Tests.Add(Test(testDepth + 1));
                if (_current.Kind == TokenKind.Comma)
                {
                    Take();
                    continue;
                }

                if (_current.Kind == TokenKind.RightParenthesis)
                {
                    Take();
                    break;
                }

                throw new SieveSyntaxException(_current.Position, $"expecting ',' or ')' in the test list opened at {open}, but found {_current.Describe()}");
            }
        }
    }

    private AstNode Test(int depth)
    {
        if (depth > MaxNesting)
        {
            throw new SieveSyntaxException(_current.Position, $"cannot nest tests deeper than {MaxNesting} levels");
        }

        var test = new AstNode(_current.Text.ToLowerInvariant(), _current.Position);
        Take();
        Arguments(test, depth);
        return test;
    }

    private AstStringList StringList()
    {
        SourcePosition open = _current.Position;
        Take();
        var items = new List<AstString>();
        while (true)
        {
            if (_current.Kind != TokenKind.String)
            {
                throw new SieveSyntaxException(_current.Position, $"expecting a string in the string list, but found {_current.Describe()}");
            }

            items.Add(new AstString(_current.Text, _current.Position));
            Take();
            if (_current.Kind == TokenKind.Comma)
            {
                Take();
                continue;
            }

            if (_current.Kind == TokenKind.RightBracket)
            {
                Take();
                return new AstStringList(items, true, open);
            }

            throw new SieveSyntaxException(_current.Position, $"expecting ',' or ']' in the string list opened at {open}, but found {_current.Describe()}");
        }
    }

    private void Take()
    {
        _previous = _current;
        _current = _lexer.Next();
    }
}

using Mailroom.Sieve.Language;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// Reads the arguments of one command or test in order: tagged arguments first (RFC 5228 §2.6.2), each with the
/// parameter its tag takes, then the positional ones. Every problem becomes an error with its position, in the
/// wording admins know from Pigeonhole.
/// </summary>
internal sealed class ArgumentReader
{
    private readonly AstNode _node;
    private readonly CompileContext _context;
    private int _index;
    private int _positional;

    public ArgumentReader(AstNode node, CompileContext context, bool isTest)
    {
        _node = node;
        _context = context;
        What = $"the {node.Name} {(isTest ? "test" : "command")}";
    }

    /// <summary>"the fileinto command", "the header test".</summary>
    public string What { get; }

    public AstNode Node => _node;

    public CompileContext Context => _context;

    /// <summary>Takes the next argument if it is a tag.</summary>
    public bool NextTag(out AstTag tag)
    {
        if (_index < _node.Arguments.Count && _node.Arguments[_index] is AstTag found)
        {
            tag = found;
            _index++;
            return true;
        }

        tag = null!;
        return false;
    }

    public void UnknownTag(AstTag tag) =>
        _context.Error(tag.Position, $"unknown tagged argument ':{tag.Name}' for {What}");

    public void DuplicateTag(AstTag tag) =>
        _context.Error(tag.Position, $"{What} does not allow the ':{tag.Name}' tag (or one that conflicts with it) more than once");

    /// <summary>The string that must follow <paramref name="tag"/>.</summary>
    public SieveString? TagString(AstTag tag)
    {
        if (_index < _node.Arguments.Count && _node.Arguments[_index] is AstStringList { Bracketed: false } list)
        {
            _index++;
            return StringCompiler.Compile(list.Items[0], _context);
        }

        _context.Error(tag.Position, $"the :{tag.Name} tag for {What} requires a string parameter, but {Found()}");
        SkipParameter();
        return null;
    }

    public SieveStringList? TagStringList(AstTag tag)
    {
        if (_index < _node.Arguments.Count && _node.Arguments[_index] is AstStringList list)
        {
            _index++;
            return StringCompiler.CompileList(list, _context);
        }

        _context.Error(tag.Position, $"the :{tag.Name} tag for {What} requires a string list parameter, but {Found()}");
        SkipParameter();
        return null;
    }

    public long? TagNumber(AstTag tag)
    {
        if (_index < _node.Arguments.Count && _node.Arguments[_index] is AstNumber number)
        {
            _index++;
            return number.Value;
        }

        _context.Error(tag.Position, $"the :{tag.Name} tag for {What} requires a number parameter, but {Found()}");
        SkipParameter();
        return null;
    }

    /// <summary>A constant string after a tag (comparator names, relations, zones).</summary>
    public string? TagConstant(AstTag tag)
    {
        SieveString? value = TagString(tag);
        if (value is null)
        {
            return null;
        }

        if (!value.IsConstant)
        {
            _context.Error(tag.Position, $"the :{tag.Name} tag for {What} requires a constant string");
            return null;
        }

        return value.Constant;
    }

    public SieveString? String(string name)
    {
        AstArgument? argument = NextPositional(name, "a string");
        if (argument is AstStringList { Bracketed: false } list)
        {
            return StringCompiler.Compile(list.Items[0], _context);
        }

        if (argument is not null)
        {
            Mismatch(argument, name, "a string");
        }

        return null;
    }

    public SieveStringList? StringList(string name)
    {
        AstArgument? argument = NextPositional(name, "a string list");
        if (argument is AstStringList list)
        {
            return StringCompiler.CompileList(list, _context);
        }

        if (argument is not null)
        {
            Mismatch(argument, name, "a string list");
        }

        return null;
    }

    public long? Number(string name)
    {
        AstArgument? argument = NextPositional(name, "a number");
        if (argument is AstNumber number)
        {
            return number.Value;
        }

        if (argument is not null)
        {
            Mismatch(argument, name, "a number");
        }

        return null;
    }

    /// <summary>True when a positional argument (not a tag) is next: for optional leading positionals (hasflag's variables).</summary>
    public int RemainingPositionals => _node.Arguments.Count - _index;

    /// <summary>Ends the arguments: anything left is an error, as are tests given to a command that takes none.</summary>
    public bool Finish(bool allowsTests = false)
    {
        bool ok = true;
        if (_index < _node.Arguments.Count)
        {
            AstArgument extra = _node.Arguments[_index];
            _context.Error(extra.Position, extra is AstTag tag
                ? $"unknown tagged argument ':{tag.Name}' for {What} (tags must come before the positional arguments)"
                : $"{What} takes {_positional} positional argument(s), but more were given ({extra.Describe()})");
            ok = false;
        }

        if (!allowsTests && _node.Tests.Count > 0)
        {
            // At the command, as Pigeonhole reports it: a missing ';' makes the next command look like a test of this one.
            _context.Error(_node.Position, $"{What} accepts no tests (found '{_node.Tests[0].Name}' at {_node.Tests[0].Position}; is a ';' missing?)");
            ok = false;
        }

        if (_node.Block is not null)
        {
            _context.Error(_node.Position, $"{What} does not take a block");
            ok = false;
        }

        return ok;
    }

    private AstArgument? NextPositional(string name, string kind)
    {
        _positional++;
        if (_index >= _node.Arguments.Count)
        {
            _context.Error(_node.Position, $"{What} expects {kind} as {Ordinal(_positional)} positional argument ({name}), but none was found");
            return null;
        }

        AstArgument argument = _node.Arguments[_index++];
        if (argument is AstTag tag)
        {
            _context.Error(tag.Position, $"unknown tagged argument ':{tag.Name}' for {What} (or misplaced: tags come before {name})");
            return null;
        }

        return argument;
    }

    private void Mismatch(AstArgument argument, string name, string kind) =>
        _context.Error(argument.Position, $"{What} expects {kind} as {Ordinal(_positional)} positional argument ({name}), but {argument.Describe()} was found");

    private string Found() => _index < _node.Arguments.Count ? $"{_node.Arguments[_index].Describe()} was found" : "none was found";

    private void SkipParameter()
    {
        if (_index < _node.Arguments.Count && _node.Arguments[_index] is not AstTag)
        {
            _index++;
        }
    }

    private static string Ordinal(int n) => n switch
    {
        1 => "the 1st",
        2 => "the 2nd",
        3 => "the 3rd",
        _ => $"the {n}th",
    };
}

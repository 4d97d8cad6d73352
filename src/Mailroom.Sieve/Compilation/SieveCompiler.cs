using System.Text;
using Mailroom.Sieve.Language;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// Checks a whole script — syntax, every command and test with its arguments, required extensions, regular expressions
/// — and compiles it for the interpreter (Pigeonhole's lexer → parser → validator). A script that compiles here never
/// meets a syntax error at delivery; one that does not is refused with each error's line and column.
/// </summary>
public sealed class SieveCompiler
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IReadOnlySet<string> _available;

    /// <param name="available">The extensions scripts may require (a site may leave some out, and spamtest needs configuring).</param>
    public SieveCompiler(IReadOnlySet<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        _available = available;
    }

    /// <summary>Compiles a script given as bytes (it must be UTF-8, RFC 5228 §2.1).</summary>
    public SieveCompilation Compile(string name, ReadOnlySpan<byte> script)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(script);
        }
        catch (DecoderFallbackException)
        {
            return Failed(new SieveDiagnostic(PositionOfInvalidUtf8(script), true, "the script is not valid UTF-8"));
        }

        return Compile(name, text);
    }

    public SieveCompilation Compile(string name, string script)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(script);
        if (script.Length > 0 && script[0] == '\uFEFF')
        {
            script = script[1..];
        }

        SieveParser parser;
        List<AstNode> nodes;
        try
        {
            // The first token is read at construction: a lexical error there is a syntax error like any other.
            parser = new SieveParser(script);
            nodes = parser.ParseScript();
        }
        catch (SieveSyntaxException ex)
        {
            return Failed(new SieveDiagnostic(ex.Position, true, ex.Message));
        }

        var context = new CompileContext(name, _available);
        foreach ((SourcePosition position, string message) in parser.Warnings)
        {
            context.Warning(position, message);
        }

        Block body = CommandCompiler.CompileBlock(nodes, context, topLevel: true);
        if (context.ErrorCount > 0)
        {
            return new SieveCompilation(null, context.Diagnostics);
        }

        context.Used.UnionWith(context.Required);
        var compiled = new CompiledScript(name, body, context.Used);
        return new SieveCompilation(compiled, context.Diagnostics);
    }

    private static SieveCompilation Failed(SieveDiagnostic diagnostic) => new(null, [diagnostic]);

    private static SourcePosition PositionOfInvalidUtf8(ReadOnlySpan<byte> script)
    {
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < script.Length)
        {
            if (Rune.DecodeFromUtf8(script[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return new SourcePosition(line, Encoding.UTF8.GetCharCount(script[lineStart..i]) + 1);
            }

            if (rune.Value == '\n')
            {
                line++;
                lineStart = i + consumed;
            }

            i += consumed;
        }

        return new SourcePosition(line, 1);
    }
}

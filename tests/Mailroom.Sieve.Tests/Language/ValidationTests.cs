using System.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Syntax;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>Whole-script checks at upload: every error found with its line and column, the nesting bound on both sides.</summary>
public sealed class ValidationTests
{
    [Fact]
    public void UnknownCommandIsReportedAtItsLineAndColumn()
    {
        SieveCompilation compilation = SieveTestKit.Compile("keep;\n\n  frobnicate \"x\";\n");

        SieveDiagnostic error = Assert.Single(compilation.Errors);
        Assert.Equal(new SourcePosition(3, 3), error.Position);
        Assert.Equal("line 3, column 3: error: unknown command 'frobnicate'.", error.ToString());
    }

    [Fact]
    public void CommandOfAnExtensionNotRequiredNamesTheExtension()
    {
        SieveCompilation compilation = SieveTestKit.Compile("fileinto \"x\";");

        Assert.Contains("\"fileinto\" extension must be required", Assert.Single(compilation.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralErrorsAreAllReported()
    {
        SieveCompilation compilation = SieveTestKit.Compile("require \"x-nothing\";\nfileinto \"a\";\nif header :frob \"a\" \"b\" { keep; }\n");

        Assert.Equal([1, 2, 3], compilation.Errors.Select(e => e.Position.Line));
    }

    [Fact]
    public void UnterminatedStringIsReportedWhereTheScriptEndsAndNamesWhereItStarted()
    {
        SieveCompilation compilation = SieveTestKit.Compile("require \"fileinto\";\nfileinto \"never ends;\nkeep;\n");

        SieveDiagnostic error = Assert.Single(compilation.Errors);
        Assert.Equal(4, error.Position.Line);
        Assert.Contains("started at line 2, column 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptThatIsNotUtf8IsRefusedAtTheInvalidByte()
    {
        byte[] script = [.. Encoding.UTF8.GetBytes("keep;\n# caf"), 0xE9, (byte)'\n'];

        SieveCompilation compilation = new SieveCompiler(SieveTestKit.AllExtensions).Compile("s", script);

        SieveDiagnostic error = Assert.Single(compilation.Errors);
        Assert.Equal(new SourcePosition(2, 6), error.Position);
    }

    [Fact]
    public void BlocksNestedToTheLimitAreAcceptedAndOneDeeperIsRefused()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("if true {", depth)) + "keep;" + new string('}', depth);

        Assert.True(SieveTestKit.Compile(Nested(SieveParser.MaxNesting)).Success);
        SieveCompilation deeper = SieveTestKit.Compile(Nested(SieveParser.MaxNesting + 1));
        Assert.Contains("deeper than 32", Assert.Single(deeper.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestsNestedToTheLimitAreAcceptedAndOneDeeperIsRefused()
    {
        static string Nested(int depth) => "if " + string.Concat(Enumerable.Repeat("not ", depth - 1)) + "true { keep; }";

        Assert.True(SieveTestKit.Compile(Nested(SieveParser.MaxNesting)).Success);
        Assert.False(SieveTestKit.Compile(Nested(SieveParser.MaxNesting + 1)).Success);
    }

    [Fact]
    public void NumbersTakeQuantifiersAndOverflowIsRefused()
    {
        Assert.True(SieveTestKit.Compile("if size :over 1G { discard; }").Success);
        SieveCompilation huge = SieveTestKit.Compile("if size :over 99999999999999999999 { discard; }");
        Assert.Contains("too large", Assert.Single(huge.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVariableNamespaceIsAnErrorAsRfc5229Requires()
    {
        // Pigeonhole 0.5 expands such a reference to nothing; RFC 5229 §3 says it MUST be an error.
        SieveCompilation compilation = SieveTestKit.Compile("require [\"variables\", \"fileinto\"];\nfileinto \"${env.home}\";");

        Assert.Contains("unknown variable namespace 'env'", Assert.Single(compilation.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodedUnicodeOutsideTheScalarRangeIsAnError()
    {
        Assert.True(SieveTestKit.Compile("require \"encoded-character\"; if header :is \"x\" \"${unicode:10FFFF}\" { keep; }").Success);
        Assert.False(SieveTestKit.Compile("require \"encoded-character\"; if header :is \"x\" \"${unicode:D800}\" { keep; }").Success);
    }

    [Fact]
    public void BackReferenceInARegexIsRefusedWhenTheScriptIsChecked()
    {
        SieveCompilation compilation = SieveTestKit.Compile("require \"regex\"; if header :regex \"subject\" \"(a)\\\\1\" { keep; }");

        Assert.Contains("back-references", Assert.Single(compilation.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IhaveBlockWithAnUnknownExtensionIsNotValidated()
    {
        SieveCompilation compilation = SieveTestKit.Compile("require \"ihave\";\nif ihave \"x-future\" { frobnicate :now; } else { keep; }");

        Assert.True(compilation.Success, compilation.Describe());
    }

    [Fact]
    public void SpamtestIsUnknownWhereTheSiteDidNotConfigureIt()
    {
        var compiler = new SieveCompiler(SieveSettings.Extensions(new SieveOptions()));

        Assert.False(compiler.Compile("s", "require \"spamtest\";").Success);
        Assert.True(new SieveCompiler(SieveSettings.Extensions(new SieveOptions { SpamTest = { Header = "X-Spam-Score" } })).Compile("s", "require \"spamtest\";").Success);
    }

    [Fact]
    public void GlobalAfterSetOfTheSameNameIsRefused()
    {
        SieveCompilation compilation = SieveTestKit.Compile("require [\"include\", \"variables\"];\nset \"a\" \"1\";\nglobal \"a\";");

        Assert.Equal(3, Assert.Single(compilation.Errors).Position.Line);
    }
}

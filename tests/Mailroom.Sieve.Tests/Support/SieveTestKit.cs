using System.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>Compiles and runs scripts on messages given as text, for the language tests.</summary>
internal static class SieveTestKit
{
    public static readonly IReadOnlySet<string> AllExtensions = new HashSet<string>(SieveExtensions.All, StringComparer.Ordinal);

    public static readonly SieveEnvelope Envelope = new("sender@example.com", "samt+lists@example.org", "samt+lists@example.org");

    public const string SimpleMessage = """
        From: Boss <boss@example.org>
        To: samt@example.org
        Subject: weekly news
        Date: Tue, 01 Apr 2025 14:30:00 +0200
        Message-ID: <1@example.org>

        Hello there.

        """;

    public static SieveCompilation Compile(string script) => new SieveCompiler(AllExtensions).Compile("script", script);

    public static CompiledScript CompileOrFail(string script)
    {
        SieveCompilation compilation = Compile(script);
        Assert.True(compilation.Success, compilation.Describe());
        return compilation.Script!;
    }

    public static SieveMessage Message(string text) => SieveMessage.FromBytes(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")));

    public static SieveResult Run(string script, string message = SimpleMessage, TestHost? host = null, SieveEnvelope? envelope = null, SieveRuntimeSettings? settings = null)
    {
        using SieveMessage parsed = Message(message);
        var interpreter = new SieveInterpreter(settings ?? new SieveRuntimeSettings { HostName = "mail.example.org" });
        return interpreter.Run([CompileOrFail(script)], parsed, envelope ?? Envelope, host ?? new TestHost());
    }
}

using System.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>
/// Seeded random input: token soup either compiles or is refused with diagnostics; generated well-formed scripts run to a
/// result that never loses the message (failures captured in it); ManageSieve's command parser answers true or false.
/// Nothing ever throws.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Tokens =
    [
        " ", "\n", ";", "{", "}", "(", ")", "[", "]", ",", "\"", "\"x\"", "\"${1}\"", "\"${a}\"", "\"${hex:41}\"", "\"*?\"", "\"\\\\\"",
        "text:\nline\n.\n", "# c\n", "/* c */", "1", "1K", "99999999999999999999", ":is", ":contains", ":matches", ":regex", ":value",
        "\"gt\"", ":count", ":comparator", "\"i;ascii-numeric\"", ":all", ":domain", ":detail", ":index", ":last", ":over", ":under",
        ":flags", ":copy", ":create", ":days", ":seconds", ":subject", ":mime", ":raw", ":content", ":text", ":zone", "\"+0100\"",
        "require", "\"fileinto\"", "\"variables\"", "\"regex\"", "\"imap4flags\"", "\"vacation\"", "\"relational\"", "\"body\"",
        "\"date\"", "\"include\"", "\"duplicate\"", "if", "elsif", "else", "not", "anyof", "allof", "true", "false", "header", "address",
        "envelope", "exists", "size", "body", "string", "date", "currentdate", "hasflag", "duplicate", "keep", "discard", "stop",
        "fileinto", "redirect", "reject", "set", "addflag", "setflag", "vacation", "include", "return", "global", "\"subject\"",
        "\"from\"", "\"a@b.c\"", "\"(\"", "\"[\"", "\u00e9", "\0",
    ];

    private const string Message = "From: a@example.com\r\nTo: samt@example.org\r\nSubject: x\r\nDate: Tue, 1 Apr 2025 10:00:00 +0000\r\n\r\nbody\r\n";

    private static readonly string[] Tests =
    [
        "true", "false", "exists \"subject\"", "header :contains \"subject\" \"{0}\"", "header :matches \"subject\" \"{0}*\"",
        "header :regex \"subject\" \"^({0}|x)\"", "address :domain :is \"from\" \"{0}\"", "address :detail \"to\" \"{0}\"",
        "envelope :all :contains \"from\" \"{0}\"", "size :over {1}", "body :text :contains \"{0}\"", "body :raw :matches \"*{0}*\"",
        "string :count \"ge\" :comparator \"i;ascii-numeric\" [\"${{a}}\", \"${{1}}\"] \"{1}\"", "hasflag :contains \"{0}\"",
        "date :value \"ge\" \"date\" \"year\" \"{1}\"", "currentdate :is \"weekday\" \"{1}\"", "duplicate :uniqueid \"{0}\"",
        "header :index {1} :last :is \"subject\" \"{0}\"", "mailboxexists \"{0}\"",
    ];

    private static readonly string[] Commands =
    [
        "keep;", "discard;", "stop;", "fileinto \"{0}\";", "fileinto :copy :create :flags \"\\\\Seen {0}\" \"F{0}\";", "redirect \"{0}@example.net\";",
        "set :upper \"a\" \"${{a}}{0}\";", "set :length \"b\" \"${{0}}\";", "addflag \"{0}\";", "removeflag \"{0}\";",
        "vacation :days {1} \"{0}\";", "reject \"{0}\";", "keep :flags \"{0}\";",
    ];

    private static readonly string[] Words = ["x", "Subject", "example.com", "a@b.c", "${1}", "*", "?", "\\\\", "", "\u00e9", "999999999"];

    [Fact]
    public void RandomTokensCompileOrAreRefusedWithDiagnostics()
    {
        var random = new Random(5228);
        var compiler = new SieveCompiler(SieveTestKit.AllExtensions);
        for (int round = 0; round < 3000; round++)
        {
            var text = new StringBuilder();
            int count = random.Next(1, 16);
            for (int i = 0; i < count; i++)
            {
                text.Append(Tokens[random.Next(Tokens.Length)]).Append(random.Next(3) == 0 ? "" : " ");
            }

            SieveCompilation compilation = compiler.Compile("fuzz", text.ToString());
            Assert.True(compilation.Success || compilation.Errors.Any(), text.ToString());
        }
    }

    [Fact]
    public void RandomWellFormedScriptsRunToAResult()
    {
        var random = new Random(5229);
        var compiler = new SieveCompiler(SieveTestKit.AllExtensions);
        var interpreter = new SieveInterpreter(new SieveRuntimeSettings());
        string Fill(string template) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Words[random.Next(Words.Length)], random.Next(0, 3000));
        int compiled = 0;
        const int Rounds = 1500;
        for (int round = 0; round < Rounds; round++)
        {
            var text = new StringBuilder("require [\"fileinto\", \"variables\", \"regex\", \"imap4flags\", \"vacation\", \"relational\", \"body\", \"date\", \"duplicate\", \"envelope\", \"subaddress\", \"index\", \"copy\", \"mailbox\", \"reject\", \"comparator-i;ascii-numeric\"];\n");
            for (int i = random.Next(1, 6); i > 0; i--)
            {
                text.Append("if anyof (").Append(Fill(Tests[random.Next(Tests.Length)])).Append(", not ").Append(Fill(Tests[random.Next(Tests.Length)])).Append(") { ")
                    .Append(Fill(Commands[random.Next(Commands.Length)])).Append(" } else { ").Append(Fill(Commands[random.Next(Commands.Length)])).Append(" }\n");
            }

            SieveCompilation compilation = compiler.Compile("generated", text.ToString());
            if (compilation.Script is not { } script)
            {
                continue;
            }

            compiled++;
            using SieveMessage message = SieveTestKit.Message(Message);
            SieveResult result = interpreter.Run([script], message, SieveTestKit.Envelope, new TestHost());
            // The message is never lost: a failed run keeps it, a successful one either keeps it or decided something.
            Assert.True(result.Error is null ? result.ImplicitKeep || result.Actions.Count > 0 : result.ImplicitKeep, text.ToString());
        }

        Assert.True(compiled > Rounds / 2, $"only {compiled} of {Rounds} generated scripts compiled");
    }

    [Fact]
    public void RandomCommandsParseOrAreRefused()
    {
        string[] pieces = ["PUTSCRIPT", " ", "\"", "\"a\"", "\\", "{", "}", "{5+}", "+", "1", "(", ")", "\u00e9", "\0", "\r", "x"];
        var random = new Random(5804);
        for (int round = 0; round < 3000; round++)
        {
            var buffer = new CommandBuffer();
            int lines = random.Next(1, 4);
            for (int l = 0; l < lines; l++)
            {
                var line = new StringBuilder();
                for (int i = random.Next(0, 10); i > 0; i--)
                {
                    line.Append(pieces[random.Next(pieces.Length)]);
                }

                byte[] bytes = Encoding.UTF8.GetBytes(line.ToString());
                buffer.AppendLine(bytes);
                if (CommandBuffer.TryGetLiteralMarker(bytes, out long size, out _) && size < 100)
                {
                    buffer.BeginLiteral();
                    buffer.AppendLiteral(new System.Buffers.ReadOnlySequence<byte>(new byte[size]));
                }
            }

            bool parsed = buffer.TryParse(out List<Argument> arguments, out string? error);
            Assert.True(parsed ? error is null : error is not null);
            Assert.True(parsed || arguments is not null);
        }
    }
}

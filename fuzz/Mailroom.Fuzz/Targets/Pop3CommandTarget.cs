using Mailroom.Pop3.Server;

namespace Mailroom.Fuzz.Targets;

/// <summary>A POP3 command line (RFC 1939 §3): the verb/argument split the session makes before dispatching.</summary>
internal sealed class Pop3CommandTarget : FuzzTarget
{
    public override string Name => "pop3-command";

    public override string Description => "POP3 command line: verb and argument split";

    public override int MaxLength => 4096;

    public override string? Dictionary => "pop3.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (!Pop3Session.TryParse(input, out string verb, out string argument))
        {
            return;
        }

        if (verb.Length > 8 || verb.Any(c => !char.IsAsciiLetterUpper(c)))
        {
            throw new FuzzFailureException($"verb {verb} is not at most 8 upper-case letters");
        }

        if (argument.Length > input.Length || argument.EndsWith(' '))
        {
            throw new FuzzFailureException($"argument \"{argument}\" is longer than the line or keeps trailing spaces");
        }
    }
}

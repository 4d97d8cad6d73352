using Mailroom.Sieve.Language;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// A script that passed validation: immutable and safe to run by many deliveries at once. Nothing in it can meet a
/// syntax error at run time; what can still fail (limits, conflicts, missing includes) fails the run, not the message.
/// </summary>
public sealed class CompiledScript
{
    internal CompiledScript(string name, Block body, IReadOnlySet<string> extensions)
    {
        Name = name;
        Body = body;
        Extensions = extensions;
    }

    /// <summary>The script's name, as it appears in error messages and logs.</summary>
    public string Name { get; }

    /// <summary>The capabilities the script required (with those enabled by <c>ihave</c> blocks).</summary>
    public IReadOnlySet<string> Extensions { get; }

    internal Block Body { get; }
}

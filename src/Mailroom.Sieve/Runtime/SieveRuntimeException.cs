using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// A script failed while running (a limit exceeded, conflicting actions, an invalid address, a missing include). The
/// interpreter catches it at its edge: the result is dropped and the message is kept, as Pigeonhole does.
/// </summary>
internal sealed class SieveRuntimeException : Exception
{
    public SieveRuntimeException(SourcePosition position, string message)
        : base(message)
    {
        Position = position;
    }

    public SieveRuntimeException()
    {
    }

    public SieveRuntimeException(string message)
        : base(message)
    {
    }

    public SieveRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourcePosition Position { get; }
}

namespace Mailroom.Net;

/// <summary>An entry of a protocol's frozen command table: the session states (flags) its handler may run in.</summary>
/// <typeparam name="TState">The protocol's <c>[Flags]</c> state enum; a session is always in exactly one state.</typeparam>
public interface ICommandEntry<TState>
    where TState : struct, Enum
{
    /// <summary>States in which the handler may run; in any other the session answers "bad sequence" without running it.</summary>
    TState Allowed { get; }
}

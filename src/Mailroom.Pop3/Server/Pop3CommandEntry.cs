using Mailroom.Net;

namespace Mailroom.Pop3.Server;

/// <param name="Command">The handler.</param>
/// <param name="Allowed">States in which the handler may run.</param>
/// <param name="Refusal">The <c>-ERR</c> text for any other state.</param>
internal sealed record Pop3CommandEntry(IPop3Command Command, Pop3State Allowed, string Refusal) : ICommandEntry<Pop3State>;

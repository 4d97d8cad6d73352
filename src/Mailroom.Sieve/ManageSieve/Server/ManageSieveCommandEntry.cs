namespace Mailroom.Sieve.ManageSieve.Server;

/// <param name="Command">The handler.</param>
/// <param name="Allowed">States in which it may run.</param>
/// <param name="Refusal">The <c>NO</c> text in any other state.</param>
internal sealed record ManageSieveCommandEntry(IManageSieveCommand Command, ManageSieveState Allowed, string Refusal);

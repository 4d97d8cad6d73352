using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>One ManageSieve command (one per file in <c>Commands/</c>), run only in the states its table entry allows.</summary>
internal interface IManageSieveCommand
{
    /// <summary>Runs the command with its arguments (the command name removed).</summary>
    ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken);
}

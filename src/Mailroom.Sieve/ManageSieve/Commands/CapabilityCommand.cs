using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>CAPABILITY (RFC 5804 §2.4): the listing, then OK.</summary>
internal sealed class CapabilityCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "CAPABILITY"))
        {
            session.WriteCapabilities();
            session.Ok(null, "Capability completed.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}

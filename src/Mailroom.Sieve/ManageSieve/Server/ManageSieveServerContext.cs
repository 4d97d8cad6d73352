using Mailroom.Directory;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Storage;
using Microsoft.Extensions.Logging;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>Everything the sessions of the listener share: settings, collaborators and loggers.</summary>
internal sealed class ManageSieveServerContext
{
    public required ManageSieveOptions Options { get; init; }

    public required SieveOptions Sieve { get; init; }

    public required SieveScriptStore Scripts { get; init; }

    public required SieveCompiler Compiler { get; init; }

    /// <summary>The SIEVE capability (the extensions offered).</summary>
    public required string SieveCapability { get; init; }

    public required LoginGate Login { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The <c>mailroom/managesieve</c> mail-log category.</summary>
    public required ILogger Maillog { get; init; }

    /// <summary>Diagnostics (not mail-log).</summary>
    public required ILogger Diagnostics { get; init; }
}

using System.Collections.Frozen;
using Mailroom.Sieve.ManageSieve.Commands;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>The frozen table of commands and the states each is allowed in (RFC 5804 §2), checked before any handler runs.</summary>
internal static class ManageSieveCommandTable
{
    private const string NotLoggedIn = "Authenticate first.";
    private const string LoggedIn = "Already authenticated.";

    public static readonly FrozenDictionary<string, ManageSieveCommandEntry> Commands = new Dictionary<string, ManageSieveCommandEntry>(StringComparer.Ordinal)
    {
        ["CAPABILITY"] = new(new CapabilityCommand(), ManageSieveState.Any, NotLoggedIn),
        ["NOOP"] = new(new NoopCommand(), ManageSieveState.Any, NotLoggedIn),
        ["LOGOUT"] = new(new LogoutCommand(), ManageSieveState.Any, NotLoggedIn),
        ["STARTTLS"] = new(new StartTlsCommand(), ManageSieveState.NonAuthenticated, LoggedIn),
        ["AUTHENTICATE"] = new(new AuthenticateCommand(), ManageSieveState.NonAuthenticated, LoggedIn),
        ["UNAUTHENTICATE"] = new(new UnauthenticateCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["HAVESPACE"] = new(new HaveSpaceCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["PUTSCRIPT"] = new(new PutScriptCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["CHECKSCRIPT"] = new(new CheckScriptCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["LISTSCRIPTS"] = new(new ListScriptsCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["SETACTIVE"] = new(new SetActiveCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["GETSCRIPT"] = new(new GetScriptCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["DELETESCRIPT"] = new(new DeleteScriptCommand(), ManageSieveState.Authenticated, NotLoggedIn),
        ["RENAMESCRIPT"] = new(new RenameScriptCommand(), ManageSieveState.Authenticated, NotLoggedIn),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

using System.Collections.Frozen;
using Mailroom.Pop3.Server.Commands;

namespace Mailroom.Pop3.Server;

/// <summary>
/// The frozen table of commands and the RFC 1939 states each is allowed in, checked by the shared command loop
/// (<see cref="Net.CommandSession{TRequest, TState, TEntry}"/>) before any handler runs.
/// </summary>
internal static class Pop3CommandTable
{
    private const string NotLoggedIn = "Not logged in.";
    private const string LoggedIn = "Already logged in.";

    public static readonly FrozenDictionary<string, Pop3CommandEntry> Commands = new Dictionary<string, Pop3CommandEntry>(StringComparer.Ordinal)
    {
        ["CAPA"] = new(new CapaCommand(), Pop3State.Any, LoggedIn),
        ["NOOP"] = new(new NoopCommand(), Pop3State.Any, LoggedIn),
        ["QUIT"] = new(new QuitCommand(), Pop3State.Any, LoggedIn),
        ["USER"] = new(new UserCommand(), Pop3State.Authorization, LoggedIn),
        ["PASS"] = new(new PassCommand(), Pop3State.Authorization, LoggedIn),
        ["AUTH"] = new(new AuthCommand(), Pop3State.Authorization, LoggedIn),
        ["STLS"] = new(new StlsCommand(), Pop3State.Authorization, LoggedIn),
        ["STAT"] = new(new StatCommand(), Pop3State.Transaction, NotLoggedIn),
        ["LIST"] = new(new ListCommand(), Pop3State.Transaction, NotLoggedIn),
        ["UIDL"] = new(new UidlCommand(), Pop3State.Transaction, NotLoggedIn),
        ["RETR"] = new(new RetrCommand(), Pop3State.Transaction, NotLoggedIn),
        ["TOP"] = new(new TopCommand(), Pop3State.Transaction, NotLoggedIn),
        ["DELE"] = new(new DeleCommand(), Pop3State.Transaction, NotLoggedIn),
        ["RSET"] = new(new RsetCommand(), Pop3State.Transaction, NotLoggedIn),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

using System.Collections.Frozen;
using Mailroom.Imap.Commands;

namespace Mailroom.Imap.Server;

/// <summary>
/// The frozen table of commands, the RFC 9051 §3 states each is allowed in (checked by the shared command loop,
/// <see cref="Net.CommandSession{TRequest, TState, TEntry}"/>, before any handler runs), and whether pending EXPUNGEs
/// may be sent with it.
/// </summary>
internal static class ImapCommandTable
{
    private const ImapState NotAuthenticated = ImapState.NotAuthenticated;
    private const ImapState LoggedIn = ImapState.LoggedIn;
    private const ImapState Selected = ImapState.Selected;

    public static readonly FrozenDictionary<string, ImapCommandEntry> Commands = new Dictionary<string, ImapCommandEntry>(StringComparer.Ordinal)
    {
        ["CAPABILITY"] = new(new CapabilityCommand(), ImapState.Any),
        ["NOOP"] = new(new NoopCommand("NOOP completed."), ImapState.Any),
        ["LOGOUT"] = new(new LogoutCommand(), ImapState.Any),
        ["ID"] = new(new IdCommand(), ImapState.Any),
        ["STARTTLS"] = new(new StartTlsCommand(), NotAuthenticated),
        ["AUTHENTICATE"] = new(new AuthenticateCommand(), NotAuthenticated),
        ["LOGIN"] = new(new LoginCommand(), NotAuthenticated),
        ["ENABLE"] = new(new EnableCommand(), ImapState.Authenticated),
        ["SELECT"] = new(new SelectCommand(readOnly: false), LoggedIn),
        ["EXAMINE"] = new(new SelectCommand(readOnly: true), LoggedIn),
        ["CREATE"] = new(new CreateCommand(), LoggedIn),
        ["DELETE"] = new(new DeleteCommand(), LoggedIn),
        ["RENAME"] = new(new RenameCommand(), LoggedIn),
        ["SUBSCRIBE"] = new(new SubscribeCommand(subscribe: true), LoggedIn),
        ["UNSUBSCRIBE"] = new(new SubscribeCommand(subscribe: false), LoggedIn),
        ["LIST"] = new(new ListCommand(), LoggedIn),
        ["LSUB"] = new(new LsubCommand(), LoggedIn),
        ["NAMESPACE"] = new(new NamespaceCommand(), LoggedIn),
        ["STATUS"] = new(new StatusCommand(), LoggedIn),
        ["APPEND"] = new(new AppendCommand(), LoggedIn),
        ["GETQUOTA"] = new(new GetQuotaCommand(), LoggedIn),
        ["GETQUOTAROOT"] = new(new GetQuotaRootCommand(), LoggedIn),
        ["SETQUOTA"] = new(new SetQuotaCommand(), LoggedIn),
        ["IDLE"] = new(new IdleCommand(), LoggedIn),
        ["NOTIFY"] = new(new NotifyCommand(), LoggedIn),
        ["COMPRESS"] = new(new CompressCommand(), LoggedIn),
        ["CHECK"] = new(new NoopCommand("Check completed."), Selected),
        ["CLOSE"] = new(new CloseCommand(expunge: true), Selected),
        ["UNSELECT"] = new(new CloseCommand(expunge: false), Selected),
        ["EXPUNGE"] = new(new ExpungeCommand(), Selected),
        ["UID EXPUNGE"] = new(new ExpungeCommand(), Selected),
        ["SEARCH"] = new(new SearchCommand(), Selected, ExpungeAllowed: false),
        ["UID SEARCH"] = new(new SearchCommand(), Selected, ExpungeAllowed: false),
        ["SORT"] = new(new SortCommand(), Selected, ExpungeAllowed: false),
        ["UID SORT"] = new(new SortCommand(), Selected, ExpungeAllowed: false),
        ["CANCELUPDATE"] = new(new CancelUpdateCommand(), Selected),
        ["THREAD"] = new(new ThreadCommand(), Selected, ExpungeAllowed: false),
        ["UID THREAD"] = new(new ThreadCommand(), Selected, ExpungeAllowed: false),
        ["FETCH"] = new(new FetchCommand(), Selected, ExpungeAllowed: false),
        ["UID FETCH"] = new(new FetchCommand(), Selected, ExpungeAllowed: false),
        ["STORE"] = new(new StoreCommand(), Selected, ExpungeAllowed: false),
        ["UID STORE"] = new(new StoreCommand(), Selected, ExpungeAllowed: false),
        ["COPY"] = new(new CopyCommand(move: false), Selected, ExpungeAllowed: false),
        ["UID COPY"] = new(new CopyCommand(move: false), Selected, ExpungeAllowed: false),
        ["MOVE"] = new(new CopyCommand(move: true), Selected),
        ["UID MOVE"] = new(new CopyCommand(move: true), Selected),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <param name="Command">The handler.</param>
/// <param name="Allowed">States in which the handler may run; in any other the session answers <c>tag BAD</c>.</param>
/// <param name="ExpungeAllowed">
/// Whether pending EXPUNGE responses may be sent with this command's responses. RFC 9051 §7.5.1 (RFC 3501 §7.4.1):
/// not while the client may be using sequence numbers, i.e. never with FETCH, STORE, SEARCH, COPY (nor their UID
/// forms, which we keep as simple); they wait for NOOP, CHECK, IDLE, EXPUNGE and the like.
/// </param>
internal sealed record ImapCommandEntry(IImapCommand Command, ImapState Allowed, bool ExpungeAllowed = true) : ICommandEntry<ImapState>;

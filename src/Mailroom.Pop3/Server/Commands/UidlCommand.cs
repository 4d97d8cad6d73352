using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>UIDL [msg] (RFC 1939 §7): the Maildir base name, stable across sessions and never reused.</summary>
internal sealed class UidlCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken) =>
        MessageListing.Answer(session, argument, static _ => "", static message => message.UniqueId);
}

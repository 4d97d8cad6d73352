using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>LIST [msg] (RFC 1939 §5): sizes as RETR will send them; deleted messages are not listed.</summary>
internal sealed class ListCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken) =>
        MessageListing.Answer(
            session,
            argument,
            static messages => string.Create(CultureInfo.InvariantCulture, $"{messages.Count(static m => !m.Deleted)} messages:"),
            static message => message.Size.ToString(CultureInfo.InvariantCulture));
}

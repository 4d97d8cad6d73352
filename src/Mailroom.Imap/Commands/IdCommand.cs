using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>ID (RFC 2971): the client's fields are read and ignored; the server names itself.</summary>
internal sealed class IdCommand : IImapCommand
{
    // RFC 2971 §3.3: at most 30 field-value pairs.
    private const int MaxFields = 30;

    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        if (!reader.TryReadNil())
        {
            reader.ReadChar('(');
            int fields = 0;
            while (!reader.PeekChar(')'))
            {
                if (fields > 0)
                {
                    reader.ReadSpace();
                }

                if (++fields > MaxFields)
                {
                    throw new Protocol.ImapParseException("Too many ID fields.");
                }

                reader.ReadAString();
                reader.ReadSpace();
                reader.ReadNString();
            }

            reader.ReadChar(')');
        }

        reader.ReadEnd();
        session.WriteLine("* ID (\"name\" \"Mailroom\" \"vendor\" \"Mailroom\")");
        session.Ok(request, "ID completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}

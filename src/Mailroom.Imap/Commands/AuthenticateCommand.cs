using System.Text;
using Mailroom.Directory;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with an optional initial response (SASL-IR, RFC 4959). Refused
/// before TLS like LOGIN.
/// </summary>
internal sealed class AuthenticateCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string mechanism = reader.ReadAtom();
        string? initial = null;
        if (reader.TryReadSpace())
        {
            initial = reader.ReadAtom();
        }

        reader.ReadEnd();
        if (!session.LoginAllowed)
        {
            session.No(request, LoginCommand.PlaintextDisallowed);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (!mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.No(request, "Unsupported authentication mechanism.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (initial is null)
        {
            // RFC 9051 §6.2.2: an empty challenge, then the client's response on its own line.
            session.PendingAuthTag = request.Tag;
            session.WriteLine("+ ");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 4959 §3: "=" is an empty initial response.
        return Respond(session, request.Tag, initial == "=" ? [] : Encoding.ASCII.GetBytes(initial), cancellationToken);
    }

    /// <summary>The client's PLAIN response line (base64), or <c>*</c> to cancel (RFC 9051 §6.2.2).</summary>
    internal static ValueTask<SessionAction> ContinueAsync(ImapSession session, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        string tag = session.PendingAuthTag!;
        session.PendingAuthTag = null;
        if (SaslResponse.IsCancel(line.Span))
        {
            session.Bad(tag, "Authentication aborted by client.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return Respond(session, tag, line.Span, cancellationToken);
    }

    private static ValueTask<SessionAction> Respond(ImapSession session, string tag, ReadOnlySpan<byte> base64, CancellationToken cancellationToken)
    {
        if (!SaslPlain.TryDecode(base64, out SaslCredentials credentials))
        {
            session.Bad(tag, "Invalid base64 data in continued response.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return session.LoginAsync(tag, credentials.UserName, credentials.Password, "PLAIN", cancellationToken);
    }
}

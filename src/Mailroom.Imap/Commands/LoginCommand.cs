using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>LOGIN (RFC 9051 §6.2.3): refused with LOGINDISABLED's <c>[PRIVACYREQUIRED]</c> where plaintext logins are not allowed.</summary>
internal sealed class LoginCommand : IImapCommand
{
    /// <summary>Dovecot's words for <c>disable_plaintext_auth</c>.</summary>
    public const string PlaintextDisallowed = "[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string user = reader.ReadAString();
        reader.ReadSpace();
        string password = reader.ReadAString();
        reader.ReadEnd();
        if (!session.LoginAllowed)
        {
            session.No(request, PlaintextDisallowed);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // Dovecot logs LOGIN as method=PLAIN: it is the same SASL mechanism underneath.
        return session.LoginAsync(request.Tag, user, password, "PLAIN", cancellationToken);
    }
}

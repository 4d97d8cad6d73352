using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;
using Mailroom.Smtp.Server.Commands;

namespace Mailroom.Smtp.Server;

/// <summary>A SASL exchange in progress: the client's next line is a base64 response, or <c>*</c> to cancel (RFC 4954 §4).</summary>
internal sealed class AuthExchange(string mechanism)
{
    private string? _loginUser;

    public async ValueTask<SessionAction> ContinueAsync(SmtpSession session, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        session.PendingAuth = null;
        if (SaslResponse.IsCancel(line.Span))
        {
            session.Reply(SmtpReplies.AuthAborted);
            return SessionAction.Continue;
        }

        if (mechanism == "LOGIN")
        {
            if (!SaslResponse.TryDecode(line.Span, out string? text))
            {
                session.Reply(SmtpReplies.AuthBadBase64);
                return SessionAction.Continue;
            }

            if (_loginUser is null)
            {
                _loginUser = text;
                session.PendingAuth = this;
                session.Challenge(AuthCommand.PasswordPrompt);
                return SessionAction.Continue;
            }

            return await AuthCommand.VerifyAsync(session, mechanism, _loginUser, text, cancellationToken).ConfigureAwait(false);
        }

        if (!SaslPlain.TryDecode(line.Span, out SaslCredentials credentials))
        {
            session.Reply(SmtpReplies.AuthBadBase64);
            return SessionAction.Continue;
        }

        return await AuthCommand.VerifyAsync(session, mechanism, credentials.UserName, credentials.Password, cancellationToken).ConfigureAwait(false);
    }
}

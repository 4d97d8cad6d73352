using System.Text;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;
using Mailroom.Smtp.Server.Commands;

namespace Mailroom.Smtp.Server;

/// <summary>A SASL exchange in progress: the client's next line is a base64 response, or <c>*</c> to cancel (RFC 4954 §4).</summary>
internal sealed class AuthExchange(string mechanism)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private string? _loginUser;

    public async ValueTask<SessionAction> ContinueAsync(SmtpSession session, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        session.PendingAuth = null;
        if (line.Span.SequenceEqual("*"u8))
        {
            session.Reply(SmtpReplies.AuthAborted);
            return SessionAction.Continue;
        }

        byte[]? response = AuthCommand.DecodeBase64(line.Span.Trim(" "u8));
        string? text = response is null ? null : TryDecodeUtf8(response);
        if (text is null)
        {
            session.Reply(SmtpReplies.AuthBadBase64);
            return SessionAction.Continue;
        }

        if (mechanism == "LOGIN")
        {
            if (_loginUser is null)
            {
                _loginUser = text;
                session.PendingAuth = this;
                session.Challenge(AuthCommand.PasswordPrompt);
                return SessionAction.Continue;
            }

            return await AuthCommand.VerifyAsync(session, mechanism, _loginUser, text, cancellationToken).ConfigureAwait(false);
        }

        // RFC 4616 §2: message = [authzid] NUL authcid NUL passwd. Acting for another identity is not supported,
        // so an authzid must name the same user.
        string[] fields = text.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0 || (fields[0].Length > 0 && !string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase)))
        {
            return await AuthCommand.VerifyAsync(session, mechanism, fields.Length == 3 ? fields[1] : "", "", cancellationToken).ConfigureAwait(false);
        }

        return await AuthCommand.VerifyAsync(session, mechanism, fields[1], fields[2], cancellationToken).ConfigureAwait(false);
    }

    private static string? TryDecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

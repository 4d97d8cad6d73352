using System.Buffers.Text;
using System.Text;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with an optional initial response (SASL-IR, RFC 4959). Refused
/// before TLS like LOGIN.
/// </summary>
internal sealed class AuthenticateCommand : IImapCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
        if (line.Span.SequenceEqual("*"u8))
        {
            session.Bad(tag, "Authentication aborted by client.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return Respond(session, tag, line.Span.Trim(" "u8), cancellationToken);
    }

    private static ValueTask<SessionAction> Respond(ImapSession session, string tag, ReadOnlySpan<byte> base64, CancellationToken cancellationToken)
    {
        string? text = Decode(base64);
        if (text is null)
        {
            session.Bad(tag, "Invalid base64 data in continued response.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 4616 §2: message = [authzid] NUL authcid NUL passwd. Acting for another identity is not supported, so an
        // authzid must name the same user; anything malformed fails like a wrong password.
        string[] fields = text.Split('\0');
        bool wellFormed = fields.Length == 3 && fields[1].Length > 0
            && (fields[0].Length == 0 || string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase));
        return wellFormed
            ? session.LoginAsync(tag, fields[1], fields[2], "PLAIN", cancellationToken)
            : session.LoginAsync(tag, fields.Length == 3 ? fields[1] : "", "", "PLAIN", cancellationToken);
    }

    private static string? Decode(ReadOnlySpan<byte> base64)
    {
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Base64.DecodeFromUtf8(base64, decoded, out _, out int written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(decoded, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

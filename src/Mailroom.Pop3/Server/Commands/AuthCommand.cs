using System.Buffers.Text;
using System.Text;
using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// AUTH (RFC 5034) with PLAIN (RFC 4616), with or without an initial response; <c>AUTH</c> alone lists the
/// mechanisms (RFC 1734's form, which clients still probe). Refused before TLS like USER.
/// </summary>
internal sealed class AuthCommand : IPop3Command
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            session.Ok("");
            if (session.LoginAllowed)
            {
                session.WriteLine("PLAIN");
            }

            session.EndMultiline();
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (!session.LoginAllowed)
        {
            session.Err(UserCommand.PlaintextDisallowed);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (parts.Length > 2 || !parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.Err("[AUTH] Unsupported authentication mechanism.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (parts.Length == 1)
        {
            // RFC 5034 §4: an empty challenge, "+ ", then the client's response on its own line.
            session.PendingAuth = true;
            session.WriteLine("+ ");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 5034 §4: an initial response of "=" stands for an empty one.
        return ContinueAsync(session, parts[1] == "=" ? [] : Encoding.ASCII.GetBytes(parts[1]), cancellationToken);
    }

    /// <summary>The client's PLAIN response (base64), or <c>*</c> to cancel (RFC 5034 §4).</summary>
    internal static ValueTask<SessionAction> ContinueAsync(Pop3Session session, ReadOnlySpan<byte> line, CancellationToken cancellationToken)
    {
        if (line.SequenceEqual("*"u8))
        {
            session.Err("Authentication aborted.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        string? text = Decode(line.Trim(" "u8));
        if (text is null)
        {
            session.Err("Invalid base64 data.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 4616 §2: message = [authzid] NUL authcid NUL passwd. Acting for another identity is not supported,
        // so an authzid must name the same user; anything malformed fails like a wrong password.
        string[] fields = text.Split('\0');
        bool wellFormed = fields.Length == 3 && fields[1].Length > 0
            && (fields[0].Length == 0 || string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase));
        return wellFormed
            ? session.LoginAsync(fields[1], fields[2], "PLAIN", cancellationToken)
            : session.LoginAsync(fields.Length == 3 ? fields[1] : "", "", "PLAIN", cancellationToken);
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

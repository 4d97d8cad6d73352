using System.Buffers.Text;
using System.Text;
using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>
/// AUTHENTICATE "PLAIN" [initial-response] (RFC 5804 §2.1, RFC 4616): without an initial response the server sends an
/// empty challenge (<c>""</c>) and the client answers with a string; <c>"*"</c> cancels. Refused before TLS unless the
/// connection may log in in plaintext (DESIGN invariant 3).
/// </summary>
internal sealed class AuthenticateCommand : IManageSieveCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count is < 1 or > 2 || arguments.Any(a => a.Kind != ArgumentKind.String))
        {
            session.Invalid("Syntax: AUTHENTICATE mechanism [initial-response]");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (!session.LoginAllowed)
        {
            session.Failed("ENCRYPT-NEEDED", "Plaintext authentication disallowed on non-secure connections.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (!string.Equals(arguments[0].Text, "PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.Invalid("Unsupported authentication mechanism.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (arguments.Count == 1)
        {
            session.PendingAuth = true;
            session.WriteStringLine([]);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return ContinueAsync(session, [arguments[1]], cancellationToken);
    }

    /// <summary>The client's response: one string with the base64 PLAIN message, or "*" to cancel.</summary>
    internal static ValueTask<SessionAction> ContinueAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count != 1 || arguments[0].Kind != ArgumentKind.String)
        {
            session.Failed(null, "Authentication failed.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (arguments[0].Value is [(byte)'*'])
        {
            session.Failed(null, "Authentication aborted.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        string? text = Decode(arguments[0].Value);
        if (text is null)
        {
            session.Failed(null, "Invalid base64 data.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 4616 §2: [authzid] NUL authcid NUL passwd; acting for another user is not supported.
        string[] fields = text.Split('\0');
        bool wellFormed = fields.Length == 3 && fields[1].Length > 0
            && (fields[0].Length == 0 || string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase));
        return wellFormed
            ? session.LoginAsync(fields[1], fields[2], "PLAIN", cancellationToken)
            : session.LoginAsync(fields.Length == 3 ? fields[1] : "", "", "PLAIN", cancellationToken);
    }

    private static string? Decode(byte[] base64)
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

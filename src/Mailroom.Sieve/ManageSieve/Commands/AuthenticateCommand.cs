using Mailroom.Directory;
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

        // Decoded once for every protocol, beside the login gate (RFC 4616 §2); a malformed message fails as a wrong password.
        if (!SaslPlain.TryDecode(arguments[0].Value, out SaslCredentials credentials))
        {
            session.Failed(null, "Invalid base64 data.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return session.LoginAsync(credentials.UserName, credentials.Password, "PLAIN", cancellationToken);
    }
}

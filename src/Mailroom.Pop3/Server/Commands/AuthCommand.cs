using System.Text;
using Mailroom.Directory;
using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// AUTH (RFC 5034) with PLAIN (RFC 4616), with or without an initial response; <c>AUTH</c> alone lists the
/// mechanisms (RFC 1734's form, which clients still probe). Refused before TLS like USER.
/// </summary>
internal sealed class AuthCommand : IPop3Command
{
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
        if (SaslResponse.IsCancel(line))
        {
            session.Err("Authentication aborted.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (!SaslPlain.TryDecode(line, out SaslCredentials credentials))
        {
            session.Err("Invalid base64 data.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        return session.LoginAsync(credentials.UserName, credentials.Password, "PLAIN", cancellationToken);
    }
}

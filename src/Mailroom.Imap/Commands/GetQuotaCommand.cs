using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// GETQUOTA root (RFC 9208 §4.1.1): the usage and limit of the user's one quota root <c>""</c>; any other root does
/// not exist. A user without a limit gets no QUOTA response (its resource list cannot be empty).
/// </summary>
internal sealed class GetQuotaCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string root = reader.ReadAString();
        reader.ReadEnd();
        if (root != StorageQuota.RootName)
        {
            session.No(request, "[NONEXISTENT] Quota root doesn't exist.");
            return SessionAction.Continue;
        }

        if (await StorageQuota.TryGetAsync(session, request, cancellationToken).ConfigureAwait(false) is not { } usage)
        {
            return SessionAction.Continue;
        }

        StorageQuota.WriteQuota(session, usage);
        session.Ok(request, "Getquota completed.");
        return SessionAction.Continue;
    }
}

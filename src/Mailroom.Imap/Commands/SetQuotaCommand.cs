using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SETQUOTA root (resource limit ...) (RFC 9208 §4.1.3). Limits are the administrator's (the directory's
/// <c>mailbox.quota</c>), so a well-formed request is refused with <c>NO [NOPERM]</c> (RFC 5530) as the RFC allows for
/// a user without permission, and QUOTASET is not advertised. A malformed one is a BAD.
/// </summary>
internal sealed class SetQuotaCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        reader.ReadAString();
        reader.ReadSpace();
        List<string> limits = reader.ReadParenthesizedAtoms();
        reader.ReadEnd();

        // RFC 9208 §5: setquota-list = "(" [setquota-resource *(SP setquota-resource)] ")", each "name SP number64".
        for (int i = 0; i < limits.Count; i += 2)
        {
            if (i + 1 >= limits.Count || limits[i].StartsWith('\\') || !ulong.TryParse(limits[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong limit)
                || limit > long.MaxValue)
            {
                throw new ImapParseException("Invalid quota resource list.");
            }
        }

        session.No(request, "[NOPERM] Quota limits are set by the administrator.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}

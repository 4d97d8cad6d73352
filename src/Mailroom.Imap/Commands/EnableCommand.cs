using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// ENABLE (RFC 5161): CONDSTORE (RFC 7162 §3.1), QRESYNC (RFC 7162 §3.2.3), IMAP4rev2 (RFC 9051 §6.3.1) and UTF8=ACCEPT (RFC 6855 §3) can be enabled; <c>* ENABLED</c> lists
/// those this command newly turned on, unknown ones are ignored.
/// </summary>
internal sealed class EnableCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        var requested = new List<string>();
        do
        {
            reader.ReadSpace();
            requested.Add(reader.ReadAtom().ToUpperInvariant());
        }
        while (!reader.AtEnd);

        var enabled = new List<string>();
        foreach (string capability in requested)
        {
            if (capability == "CONDSTORE" && !session.CondStoreEnabled)
            {
                session.CondStoreEnabled = true;
                enabled.Add(capability);
            }
            else if (capability == "QRESYNC" && !session.QResyncEnabled)
            {
                // RFC 7162 §3.2.3: enabling QRESYNC enables CONDSTORE as well.
                session.QResyncEnabled = true;
                session.EnableCondStore();
                enabled.Add(capability);
            }
            else if (capability == "IMAP4REV2" && !session.Rev2Enabled)
            {
                session.Rev2Enabled = true;
                enabled.Add("IMAP4rev2");
            }
            else if (capability == "UTF8=ACCEPT" && !session.Utf8Accepted)
            {
                session.Utf8Accepted = true;
                enabled.Add(capability);
            }
        }

        session.WriteLine(enabled.Count == 0 ? "* ENABLED" : "* ENABLED " + string.Join(' ', enabled));
        session.Ok(request, "Enabled.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}

using System.Globalization;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with flags, date-time, LITERAL+ and BINARY's literal8 (RFC 3516 §4.4), answering with
/// UIDPLUS's APPENDUID (RFC 4315 §3). The session already checked the literal against <see cref="ImapOptions.MaxLiteralSize"/>
/// before reading it, and kept a large message in a spool file rather than in memory (<see cref="Protocol.SpooledLiteral"/>);
/// the store makes the message durable before the OK.
/// </summary>
internal sealed class AppendCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadSpace();
        List<string> names = [];
        if (reader.PeekChar('('))
        {
            names = FlagList.Read(reader, allowBare: false);
            reader.ReadSpace();
        }

        DateTimeOffset? date = null;
        if (reader.PeekChar('"'))
        {
            date = reader.ReadDateTime();
            reader.ReadSpace();
        }

        using Stream message = reader.ReadMessage(out _);
        reader.ReadEnd();
        MessageFlags flags;
        List<string> keywords;
        try
        {
            (flags, keywords) = FlagList.Parse(names, session.Context.Options.MaxKeywordsPerMessage);
        }
        catch (Protocol.ImapLimitException ex)
        {
            session.No(request, "[LIMIT] " + ex.Message);
            return SessionAction.Continue;
        }

        if (message.Length == 0)
        {
            session.No(request, "Can't save a zero byte message.");
            return SessionAction.Continue;
        }

        using FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            session.No(request, "[TRYCREATE] Mailbox doesn't exist: " + name);
            return SessionAction.Continue;
        }

        uint uid = await lease.Folder.AppendAsync(message, flags, keywords, date ?? session.Context.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        uint uidValidity = lease.Folder.Current.UidValidity;
        session.Ok(request, string.Create(CultureInfo.InvariantCulture, $"[APPENDUID {uidValidity} {uid}] Append completed."));
        return SessionAction.Continue;
    }
}

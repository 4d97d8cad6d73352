using System.Globalization;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with flags, date-time, LITERAL+ and BINARY's literal8 (RFC 3516 §4.4), answering with
/// UIDPLUS's APPENDUID (RFC 4315 §3). The session already checked the literal against <see cref="ImapOptions.MaxLiteralSize"/>
/// before reading it, and kept a large message in a spool file rather than in memory (<see cref="Protocol.SpooledLiteral"/>);
/// a message the user's quota has no room for is refused with OVERQUOTA (RFC 9208), and the store's save transaction
/// makes the message durable before the OK.
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

        if (await StorageQuota.RefuseIfOverAsync(session, request, message.Length, cancellationToken).ConfigureAwait(false))
        {
            return SessionAction.Continue;
        }

        using SaveTransaction save = lease.Folder.BeginSave();
        MessageWriter writer = save.BeginMessage(flags, keywords, date ?? session.Context.TimeProvider.GetUtcNow());
        await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        SaveResult saved = await save.CommitAsync(cancellationToken).ConfigureAwait(false);
        session.Ok(request, string.Create(CultureInfo.InvariantCulture, $"[APPENDUID {saved.UidValidity} {saved.Uids[0]}] Append completed."));
        return SessionAction.Continue;
    }
}

using System.Globalization;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with flags, date-time, LITERAL+ and BINARY's literal8 (RFC 3516 §4.4), and MULTIAPPEND
/// (RFC 3502): several messages in one command, saved in one transaction so that all or none are added, answered with
/// UIDPLUS's APPENDUID (RFC 4315 §3, a UID set for several). The session already checked each literal against
/// <see cref="ImapOptions.MaxLiteralSize"/> before reading it (all of one command's messages together stay within that
/// plus <see cref="ImapOptions.MaxCommandSize"/>), and kept a large message in a spool file rather than in memory
/// (<see cref="Protocol.SpooledLiteral"/>); messages the user's quota has no room for are refused with OVERQUOTA
/// (RFC 9208), and the store's save transaction makes them durable before the OK.
/// </summary>
internal sealed class AppendCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        var messages = new List<(List<string> Names, DateTimeOffset? Date, Stream Content)>();
        try
        {
            // RFC 3502 §6.3.11: append-message *(SP append-message).
            while (reader.TryReadSpace())
            {
                messages.Add(ReadMessage(reader));
            }

            reader.ReadEnd();
            if (messages.Count == 0)
            {
                throw new Protocol.ImapParseException("Missing message literal.");
            }

            return await SaveAsync(session, request, name, messages, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach ((_, _, Stream content) in messages)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (List<string> Names, DateTimeOffset? Date, Stream Content) ReadMessage(Protocol.ImapArgumentReader reader)
    {
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

        return (names, date, reader.ReadMessage(out _));
    }

    private static async ValueTask<SessionAction> SaveAsync(ImapSession session, ImapRequest request, string name,
        List<(List<string> Names, DateTimeOffset? Date, Stream Content)> messages, CancellationToken cancellationToken)
    {
        var parsed = new List<(MessageFlags Flags, List<string> Keywords)>(messages.Count);
        long total = 0;
        foreach ((List<string> names, _, Stream content) in messages)
        {
            try
            {
                parsed.Add(FlagList.Parse(names, session.Context.Options.MaxKeywordsPerMessage));
            }
            catch (Protocol.ImapLimitException ex)
            {
                session.No(request, "[LIMIT] " + ex.Message);
                return SessionAction.Continue;
            }

            if (content.Length == 0)
            {
                session.No(request, "Can't save a zero byte message.");
                return SessionAction.Continue;
            }

            total += content.Length;
        }

        using FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            session.No(request, "[TRYCREATE] Mailbox doesn't exist: " + name);
            return SessionAction.Continue;
        }

        if (await StorageQuota.RefuseIfOverAsync(session, request, total, cancellationToken).ConfigureAwait(false))
        {
            return SessionAction.Continue;
        }

        using SaveTransaction save = lease.Folder.BeginSave();
        for (int i = 0; i < messages.Count; i++)
        {
            MessageWriter writer = save.BeginMessage(parsed[i].Flags, parsed[i].Keywords, messages[i].Date ?? session.Context.TimeProvider.GetUtcNow());
            await writer.WriteAsync(messages[i].Content, cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        SaveResult saved = await save.CommitAsync(cancellationToken).ConfigureAwait(false);
        string uids = Protocol.SequenceSet.Format(saved.Uids);
        session.Ok(request, string.Create(CultureInfo.InvariantCulture, $"[APPENDUID {saved.UidValidity} {uids}] Append completed."));
        return SessionAction.Continue;
    }
}

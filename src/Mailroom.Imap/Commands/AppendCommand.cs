using System.Globalization;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// APPEND (RFC 9051 §6.3.12) with flags, date-time, LITERAL+, BINARY's literal8 (RFC 3516 §4.4), UTF8=ACCEPT's
/// <c>UTF8 (literal8)</c> (RFC 6855 §4), CATENATE (RFC 4469, parsed in <c>AppendCommand.Catenate.cs</c>) and
/// MULTIAPPEND (RFC 3502): several messages in one command, saved in one transaction so that all or none are added,
/// answered with UIDPLUS's APPENDUID (RFC 4315 §3, a UID set for several). The session already checked each literal
/// against <see cref="ImapOptions.MaxLiteralSize"/> before reading it (all of one command's messages together stay
/// within that plus <see cref="ImapOptions.MaxCommandSize"/>), and kept a large message in a spool file rather than in
/// memory (<see cref="Protocol.SpooledLiteral"/>); a CATENATE message is held to the same bounds once its URLs are
/// resolved, and is written part by part (a URL's part is copied from its file in chunks). Messages the user's quota
/// has no room for are refused with OVERQUOTA (RFC 9208), and the store's save transaction makes them durable before
/// the OK.
/// </summary>
internal sealed partial class AppendCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        var messages = new List<AppendMessage>();
        try
        {
            // RFC 3502 §6.3.11: append-message *(SP append-message).
            while (reader.TryReadSpace())
            {
                messages.Add(ReadMessage(reader, session.Utf8Accepted));
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
            foreach (AppendMessage message in messages)
            {
                await message.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static AppendMessage ReadMessage(Protocol.ImapArgumentReader reader, bool utf8Accepted)
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

        if (reader.TryReadKeyword("CATENATE"))
        {
            return new AppendMessage(names, date, ReadCatenateParts(reader)) { IsCatenate = true };
        }

        Stream content = reader.TryReadKeyword("UTF8") ? ReadUtf8Message(reader, utf8Accepted) : reader.ReadMessage(out _);
        return new AppendMessage(names, date, [CatenatePart.FromText(content)]);
    }

    /// <summary>RFC 6855 §4: <c>"UTF8" SP "(" literal8 ")"</c>, a message with UTF-8 headers, after ENABLE UTF8=ACCEPT only.</summary>
    private static Stream ReadUtf8Message(Protocol.ImapArgumentReader reader, bool utf8Accepted)
    {
        if (!utf8Accepted)
        {
            throw new Protocol.ImapParseException("APPEND UTF8 needs ENABLE UTF8=ACCEPT");
        }

        reader.ReadSpace();
        reader.ReadChar('(');
        Stream content = reader.ReadMessage(out bool binary);
        try
        {
            if (!binary)
            {
                throw new Protocol.ImapParseException("APPEND UTF8 takes a literal8");
            }

            reader.ReadChar(')');
            return content;
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The URL for <c>[BADURL url-resp-text]</c>: TEXT-CHARs but "]" (RFC 4469 §5, erratum 2002). A URL sent as a
    /// literal may hold anything, CR and LF included, which must not reach the response: those are percent-encoded.
    /// </summary>
    private static string EchoedUrl(string url)
    {
        var text = new System.Text.StringBuilder(url.Length);
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(url))
        {
            if (b is < 0x21 or > 0x7E or (byte)']')
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.Length == 0 ? "\"\"" : text.ToString();
    }

    private static async ValueTask<SessionAction> SaveAsync(ImapSession session, ImapRequest request, string name,
        List<AppendMessage> messages, CancellationToken cancellationToken)
    {
        var parsed = new List<(MessageFlags Flags, List<string> Keywords)>(messages.Count);
        int urls = 0;
        foreach (AppendMessage message in messages)
        {
            try
            {
                parsed.Add(FlagList.Parse(message.FlagNames, session.Context.Options.MaxKeywordsPerMessage));
            }
            catch (Protocol.ImapLimitException ex)
            {
                session.No(request, "[LIMIT] " + ex.Message);
                return SessionAction.Continue;
            }

            urls += message.Parts.Count(static p => p.Url is not null);
        }

        if (urls > session.Context.Options.MaxCatenateUrls)
        {
            session.No(request, "[LIMIT] Too many URLs in one APPEND.");
            return SessionAction.Continue;
        }

        using FolderLease? lease = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (lease is null)
        {
            session.No(request, "[TRYCREATE] Mailbox doesn't exist: " + name);
            return SessionAction.Continue;
        }

        using var sources = new CatenateSources(session);
        var plans = new List<List<(Stream Content, long Start, long Length)>>(messages.Count);
        long total = 0;
        foreach (AppendMessage message in messages)
        {
            var plan = new List<(Stream Content, long Start, long Length)>(message.Parts.Count);
            long size = 0;
            foreach (CatenatePart part in message.Parts)
            {
                if (part.Text is { } text)
                {
                    plan.Add((text, 0, text.Length));
                    size += text.Length;
                    continue;
                }

                if (sources.Resolve(part.Url!) is not { } range)
                {
                    // RFC 4469 §3: the whole APPEND fails; url-resp-text is the URL as sent (RFC 4469 §5).
                    session.No(request, "[BADURL " + EchoedUrl(part.Url!) + "] Bad URL or no such message or part.");
                    return SessionAction.Continue;
                }

                plan.Add(range);
                size += range.Length;
            }

            if (size == 0)
            {
                session.No(request, "Can't save a zero byte message.");
                return SessionAction.Continue;
            }

            // RFC 4469 §3 / RFC 7889: the catenated message is held to APPENDLIMIT like a literal, and a command's
            // messages together to what the session allows for literals.
            total += size;
            if (message.IsCatenate && (size > session.Context.Options.MaxLiteralSize
                || total > session.Context.Options.MaxLiteralSize + session.Context.Options.MaxCommandSize))
            {
                session.No(request, "[TOOBIG] Message too large.");
                return SessionAction.Continue;
            }

            plans.Add(plan);
        }

        if (await StorageQuota.RefuseIfOverAsync(session, request, total, cancellationToken).ConfigureAwait(false))
        {
            return SessionAction.Continue;
        }

        using SaveTransaction save = lease.Folder.BeginSave();
        for (int i = 0; i < messages.Count; i++)
        {
            MessageWriter writer = save.BeginMessage(parsed[i].Flags, parsed[i].Keywords, messages[i].Date ?? session.Context.TimeProvider.GetUtcNow());
            foreach ((Stream content, long start, long length) in plans[i])
            {
                await CatenateSources.CopyAsync(content, start, length, writer, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        SaveResult saved = await save.CommitAsync(cancellationToken).ConfigureAwait(false);
        string uids = Protocol.SequenceSet.Format(saved.Uids);
        session.Ok(request, string.Create(CultureInfo.InvariantCulture, $"[APPENDUID {saved.UidValidity} {uids}] Append completed."));
        return SessionAction.Continue;
    }
}

using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The milters' conversation for one SMTP session, as Postfix runs it: each milter is connected when the client connects
/// and told each event when it happens, so a refusal is answered at its stage. Postfix's semantics
/// (smtpd.c, milter8.c): a refusal at connect or HELO is not answered there (except 421, which ends the session) but
/// persists, and every MAIL of the session gets it; a refusal at MAIL refuses that MAIL, at RCPT that recipient alone;
/// a discard at MAIL or RCPT discards the message (and at connect or HELO every message of the session). The first
/// refusal at a stage decides and later milters are not asked. A milter that accepts is not told more about the
/// message (at MAIL or RCPT) or the session (at connect or HELO). After each message every milter told of it gets
/// ABORT, and QUIT when the session ends. A milter that cannot be reached, times out or breaks the protocol gets its
/// <see cref="MilterSettings.DefaultAction"/>: accept leaves it out for the rest of the session; tempfail and reject
/// answer the stage and every later MAIL, as Postfix's milter in its error state does.
/// </summary>
public sealed class MilterSession : IAsyncDisposable
{
    private readonly List<MilterConversation> _milters;
    private readonly ILogger _log;
    private readonly CancellationToken _sessionToken;
    private bool _discardsMessage;

    internal MilterSession(List<MilterConversation> milters, ILogger log, CancellationToken sessionToken)
    {
        _milters = milters;
        _log = log;
        _sessionToken = sessionToken;
    }

    /// <summary>A milter discarded the message in progress (at MAIL or RCPT, or the whole session): it is answered 250 and dropped.</summary>
    public bool DiscardsMessage => _discardsMessage || _milters.Exists(m => m.DiscardsSession);

    /// <summary>Connects every milter and sends the connect event. A refusal is due only when it is a 421 (the session ends).</summary>
    public ValueTask<MilterDecision> ConnectAsync(MilterMessage facts) =>
        EventAsync(facts, "CONNECT", (client, f) => client.ConnectAsync(f), EventScope.Session);

    /// <summary>HELO or EHLO. A refusal is due only when it is a 421 (the session ends); any other persists until MAIL.</summary>
    public ValueTask<MilterDecision> HeloAsync(MilterMessage facts) =>
        EventAsync(facts, "HELO", (client, f) => client.HeloAsync(f), EventScope.Session);

    /// <summary>
    /// The refusal that persists from connect or HELO, or the default action of a milter that failed (Postfix's milter
    /// <c>def_reply</c>, which <c>milter_other_event</c> returns): MAIL gets it, and so do commands that are no milter
    /// event (AUTH, STARTTLS, VRFY); null when there is none.
    /// </summary>
    public MilterDecision? SessionRefusal => _milters.Find(m => m.SessionRefusal is not null)?.SessionRefusal;

    /// <summary>MAIL FROM: ends the previous message with ABORT, then answers with a refusal that persists from connect or HELO, or the milters' reply.</summary>
    public async ValueTask<MilterDecision> MailAsync(MilterMessage facts)
    {
        await AbortAsync().ConfigureAwait(false);
        if (SessionRefusal is { } refusal)
        {
            return refusal;
        }

        return await EventAsync(facts, "MAIL", (client, f) => client.MailAsync(f), EventScope.StartsMessage).ConfigureAwait(false);
    }

    /// <summary>RCPT TO: a refusal refuses this recipient alone.</summary>
    public ValueTask<MilterDecision> RecipientAsync(MilterMessage facts, string recipient) =>
        EventAsync(facts, "RCPT", (client, f) => client.RecipientAsync(f, recipient), EventScope.Message);

    /// <summary>
    /// DATA, when the client sends it (or its first BDAT), before the 354 (Postfix's smtpd <c>data_cmd</c>): a refusal
    /// answers the command; a discard drops the message after its content; a milter that accepts is not sent the content.
    /// </summary>
    public ValueTask<MilterDecision> DataAsync(MilterMessage facts) =>
        EventAsync(facts, "DATA", (client, f) => client.DataAsync(f), EventScope.Message);

    /// <summary>
    /// The end of the content: each milter still in the conversation gets the header fields, the body and the end of
    /// message, in order; each sees the message as the milters before it edited it (header fields changed, added and
    /// inserted, the body replaced), as with Postfix, where each milter's edits are applied to the queue file before
    /// the next milter reads it. The first refusal decides; otherwise all modifications come back in order.
    /// </summary>
    /// <param name="headerPrefix">Fields this server puts in front of the content (Authentication-Results), CRLF-terminated.</param>
    /// <param name="content">The message as received (seekable), from its first byte.</param>
    public async ValueTask<MilterVerdict> MessageAsync(MilterMessage facts, string headerPrefix, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(content);
        var verdict = new MilterVerdict();
        try
        {
            if (DiscardsMessage)
            {
                verdict.Refuse(new MilterDecision(MilterVerdictKind.Discard, 250, "2.0.0", "Ok", null));
                return verdict;
            }

            MessageHeaderSection headers = await MilterChain.ReadHeadersAsync(headerPrefix, content, cancellationToken).ConfigureAwait(false);
            foreach (MilterConversation milter in _milters)
            {
                if (milter.SessionDone || milter.MessageDone)
                {
                    continue;
                }

                // What the milters before this one changed, this one sees.
                IReadOnlyList<MessageHeaderField> fields = verdict.ModificationCount == 0 ? headers.Fields : MilterHeaderEditor.Apply(headers.Fields, verdict.Modifications);
                (Stream body, long offset) = verdict.ReplacedBody is { } replaced ? (replaced, 0L) : (content, headers.BodyOffset);
                milter.InMessage = true;
                string? heldBefore = verdict.QuarantineReason;
                StepOutcome<bool> step = await StepAsync(milter, facts, async client =>
                {
                    await client.MessageAsync(facts, fields, body, offset, verdict).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
                if (step.Failure is { } failed)
                {
                    verdict.Refuse(failed);
                }

                if (verdict.Kind != MilterVerdictKind.Accept)
                {
                    MilterLog.Refused(_log, facts.QueueId, verdict.Kind.ToString().ToLowerInvariant(), $"END-OF-MESSAGE: {verdict.ReplyCode} {verdict.ReplyDsn} {verdict.ReplyText}", milter.Client.Name);
                    return verdict;
                }

                if (verdict.QuarantineReason is { } reason && !ReferenceEquals(reason, heldBefore))
                {
                    MilterLog.Hold(_log, facts.QueueId, reason, milter.Client.Name);
                }
            }

            return verdict;
        }
        catch
        {
            verdict.Dispose();
            throw;
        }
    }

    /// <summary>ABORT to every milter told of a message since the last one (Postfix's milter8_abort), and the message's state is forgotten.</summary>
    public async ValueTask AbortAsync()
    {
        _discardsMessage = false;
        foreach (MilterConversation milter in _milters)
        {
            milter.MessageDone = false;
            if (!milter.InMessage)
            {
                continue;
            }

            milter.InMessage = false;
            if (milter.SessionDone)
            {
                continue;
            }

            try
            {
                await milter.Client.AbortAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                Fail(milter, "", ex);
            }
        }
    }

    /// <summary>ABORT for a message in progress, QUIT, and every connection closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_sessionToken.IsCancellationRequested)
        {
            await AbortAsync().ConfigureAwait(false);
        }

        foreach (MilterConversation milter in _milters)
        {
            await milter.Client.QuitAsync().ConfigureAwait(false);
            await milter.Client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One SMTP event to every milter still in the conversation, in order. <paramref name="scope"/> says what an accept or a
    /// discard ends (the session at connect and HELO, the message from MAIL on) and whether a refusal persists (at connect
    /// and HELO it does, until MAIL answers with it).
    /// </summary>
    private async ValueTask<MilterDecision> EventAsync(MilterMessage facts, string stage, Func<MilterClient, MilterMessage, ValueTask<MilterReply?>> send, EventScope scope)
    {
        bool session = scope == EventScope.Session;
        if (!session && DiscardsMessage)
        {
            return MilterDecision.Continue;
        }

        string queueId = QueueIdOf(facts);
        foreach (MilterConversation milter in _milters)
        {
            if (milter.SessionDone || (!session && milter.MessageDone))
            {
                continue;
            }

            milter.InMessage |= scope == EventScope.StartsMessage;
            StepOutcome<MilterReply?> step = await StepAsync(milter, facts, client => send(client, facts)).ConfigureAwait(false);
            if (step.Failure is { } failed)
            {
                return failed;
            }

            MilterReply? reply = step.Value;
            switch (reply?.Code ?? MilterProtocol.Continue)
            {
                case MilterProtocol.Continue:
                    break;
                case MilterProtocol.Accept when session:
                    milter.SessionDone = true;
                    break;
                case MilterProtocol.Accept:
                    milter.MessageDone = true;
                    break;
                case MilterProtocol.Discard when session:
                    milter.SessionDone = true;
                    milter.DiscardsSession = true;
                    MilterLog.Refused(_log, queueId, "discard", $"{stage}: every message of the session", milter.Client.Name);
                    break;
                case MilterProtocol.Discard:
                    // The message is dropped after its content; no milter is told more about it.
                    _discardsMessage = true;
                    MilterLog.Refused(_log, queueId, "discard", $"{stage}: the message", milter.Client.Name);
                    return MilterDecision.Continue;
                default:
                    MilterDecision decision = Decide(milter, reply!.Value);
                    if (!decision.Refuses)
                    {
                        break;
                    }

                    if (session)
                    {
                        milter.SessionDone = true;
                        milter.SessionRefusal = decision;
                    }

                    MilterLog.Refused(_log, queueId, decision.Kind.ToString().ToLowerInvariant(), $"{stage}: {decision}", milter.Client.Name);
                    return decision;
            }
        }

        return MilterDecision.Continue;
    }

    /// <summary>
    /// Sends one step to one milter. A milter that cannot be reached, times out or breaks the protocol is out of the
    /// session and its <see cref="MilterSettings.DefaultAction"/> applies: the outcome then carries the refusal for
    /// tempfail and reject, and nothing for accept (the other milters go on without it).
    /// </summary>
    private async ValueTask<StepOutcome<T>> StepAsync<T>(MilterConversation milter, MilterMessage facts, Func<MilterClient, ValueTask<T>> send)
    {
        try
        {
            return new StepOutcome<T>(await send(milter.Client).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            return new StepOutcome<T>(default, Fail(milter, QueueIdOf(facts), ex));
        }
    }

    private static string QueueIdOf(MilterMessage facts) => facts.QueueId.Length > 0 ? facts.QueueId : "NOQUEUE";

    /// <summary>A reply that is not one of the stage's (SMFIR_SKIP outside the body) is a protocol failure: the default action decides, continue for accept.</summary>
    private MilterDecision Decide(MilterConversation milter, MilterReply reply)
    {
        try
        {
            return MilterDecision.FromReply(reply, milter.Client.Name);
        }
        catch (MilterProtocolException ex)
        {
            return Fail(milter, "", ex)
                ?? MilterDecision.Continue;
        }
    }

    private bool IsFailure(Exception ex) => ex is IOException or SocketException or MilterProtocolException or ObjectDisposedException
        || (ex is OperationCanceledException && !_sessionToken.IsCancellationRequested);

    /// <summary>The milter is out of the session; its default action is the decision (null for accept).</summary>
    private MilterDecision? Fail(MilterConversation milter, string queueId, Exception ex)
    {
        string problem = ex is OperationCanceledException ? "timeout" : MilterClient.Describe(ex);
        MilterLog.Failed(_log, queueId.Length > 0 ? queueId : "NOQUEUE", milter.Client.Name, problem, milter.Settings.DefaultAction);
        milter.SessionDone = true;
        MilterDecision? decision = milter.Settings.DefaultAction switch
        {
            MilterDefaultAction.Tempfail => MilterDecision.Tempfailed(milter.Client.Name),
            MilterDefaultAction.Reject => MilterDecision.Rejected(milter.Client.Name),
            _ => null,
        };
        milter.SessionRefusal = decision;
        return decision;
    }

    /// <summary>What an event belongs to: the session (connect, HELO), the message it starts (MAIL), or the message (RCPT, DATA).</summary>
    private enum EventScope
    {
        Session,
        StartsMessage,
        Message,
    }

    /// <summary>A step's answer, or the refusal its milter's default action gives after a failure (null for accept).</summary>
    private readonly record struct StepOutcome<T>(T? Value, MilterDecision? Failure);
}

namespace Mailroom.Core;

/// <summary>
/// The one way a message enters the system (the queue implements it). Following maddy's delivery contract:
/// begin with the envelope, write the content, then commit; only a completed commit makes anything durable.
/// </summary>
public interface IMessageSubmitter
{
    /// <summary>Starts a message. The returned submission owns a spool file until committed or disposed.</summary>
    ValueTask<IMessageSubmission> BeginAsync(Envelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the spool has room to take a message of the declared size (0: not declared) and still keep its
    /// free-space floor (Postfix's <c>queue_minfree</c>); checked at MAIL, before anything is received. Default:
    /// always, for a submitter without a file system behind it.
    /// </summary>
    bool HasRoomFor(long declaredSize) => true;
}

/// <summary>
/// One message being written to the spool. Disposing it without a successful <see cref="CommitAsync"/>
/// aborts: the partial file is removed and nothing is delivered.
/// </summary>
public interface IMessageSubmission : IAsyncDisposable
{
    /// <summary>The queue id, known from the start so that trace headers and log lines can carry it.</summary>
    string QueueId { get; }

    /// <summary>
    /// Where the message content goes: the exact RFC 5322 bytes (CRLF line ends, dot-unstuffed), trace
    /// headers first. Writes stream to disk, or to memory up to a bound the submitter sets (a message small enough to be
    /// delivered at once); nothing holds a large message in memory.
    /// </summary>
    Stream Content { get; }

    /// <summary>
    /// Reads back what was written to <see cref="Content"/> so far, from its first byte (seekable), so the message can
    /// be checked before it is committed: the policy checks at end of DATA, and a Sieve reject answered at SMTP time
    /// (RFC 5429 §2.1). Nothing is made durable. Dispose it before writing more.
    /// </summary>
    Stream OpenWrittenContent();

    /// <summary>
    /// Records what was learnt from the content (header fields to put in front of it, the authentication summary,
    /// the quarantine verdict); takes effect at <see cref="CommitAsync"/>.
    /// </summary>
    void Annotate(MessageAnnotation annotation);

    /// <summary>
    /// Replaces the whole content (a milter edited the header or the body): <paramref name="write"/> gets the new, empty
    /// content stream, while <see cref="OpenWrittenContent"/> still reads the old content until it returns. Throws
    /// <see cref="IOException"/> when the spool cannot take the new content (answer 451).
    /// </summary>
    ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken);

    /// <summary>
    /// Flushes and fsyncs the content and envelope, renames the entry into the queue and fsyncs the
    /// directory. When this returns, the message survives a crash and the caller may answer 250.
    /// Throws <see cref="IOException"/> when the message could not be made durable (answer 451).
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}

/// <summary>What the checks at end of DATA add to a message before it is queued.</summary>
/// <param name="HeaderPrefix">Header fields (CRLF-terminated) that go in front of the content, e.g. Authentication-Results.</param>
/// <param name="Authentication">The summary recorded as <see cref="Envelope.Authentication"/>.</param>
/// <param name="Quarantine">Recorded as <see cref="Envelope.Quarantine"/>.</param>
public sealed record MessageAnnotation(string HeaderPrefix, string? Authentication, bool Quarantine)
{
    /// <summary>A milter changed the sender or the recipients: the envelope to queue instead of the one given at the start.</summary>
    public Envelope? Envelope { get; init; }

    /// <summary>
    /// A milter asked for quarantine (SMFIR_QUARANTINE) with this reason: the message goes on hold (kept, not
    /// delivered, until released) and the reason is recorded as <see cref="Envelope.HoldReason"/>.
    /// </summary>
    public string? HoldReason { get; init; }

    /// <summary>Recorded as <see cref="Envelope.Spam"/>: a content filter marked the message as spam.</summary>
    public bool Spam { get; init; }

    /// <summary>The message goes on hold.</summary>
    public bool Hold => HoldReason is not null;
}

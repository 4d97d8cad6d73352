using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Mailroom.Imap.Protocol;
using Mailroom.Net;
using Mailroom.Net.Trace;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>
/// One IMAP server session (RFC 9051, RFC 3501) on the shared command loop: assembles each command with its literals
/// (limits checked before a byte of a literal is read), then hands its tag and name to Net's loop, which checks the
/// command table's allowed states before any handler runs and keeps the error budget. Responses are in <c>ImapSession.Responses.cs</c>, login in
/// <c>ImapSession.Login.cs</c>, the selected mailbox in <c>ImapSession.Mailbox.cs</c>, IDLE in
/// <c>ImapSession.Idle.cs</c>, the mail log in <c>ImapSession.Log.cs</c>.
/// </summary>
internal sealed partial class ImapSession : CommandSession<ImapRequest, ImapState, ImapCommandEntry>
{
    private readonly ImapCommandBuffer _command = new();
    private ImapCommandEntry? _running;

    public ImapSession(MailConnection connection, ImapServerContext context, CancellationToken stopping)
        : base(connection, CreateOptions(context.Options), context.TimeProvider, ImapCommandTable.Commands, ImapState.NotAuthenticated, context.Options.MaxErrors)
    {
        Context = context;
        _stopping = stopping;
        Writer = new ImapOutput(() => Output);
        _loginNotes = new LoginLogNotes(connection, context.TimeProvider);
    }

    public ImapServerContext Context { get; }

    public MailConnection Client => Connection;

    /// <summary>LOGIN and AUTHENTICATE may be used now (TLS, or a loopback client, or configured to allow it).</summary>
    public bool LoginAllowed => ImapPlaintextPolicy.IsLoginAllowed(Context.Options, Connection.IsSecure, Connection.IsLoopback);

    /// <summary>Re-arms the idle timer while a long response is being sent (a client that stops reading times out).</summary>
    public void KeepAlive() => RestartIdleTimer();

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        WriteLine("* OK [CAPABILITY " + Capabilities() + "] Mailroom ready.");
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override bool AwaitingContinuation => PendingAuthTag is not null;

    protected override bool TraceLiterals => true;

    /// <summary>
    /// LOGIN's user and password, AUTHENTICATE's initial response, and whatever follows a literal inside either
    /// (<c>a LOGIN {4}</c> … <c> "secret"</c>) are secret; literals themselves are only ever summarised.
    /// </summary>
    protected override int CommandSecretStart(ReadOnlySpan<byte> line)
    {
        if (_command.Length > 0)
        {
            ReadOnlySpan<byte> started = _command.Content.Span;
            return TraceRedaction.WordIs(started, 1, "LOGIN") || TraceRedaction.WordIs(started, 1, "AUTHENTICATE") ? 0 : -1;
        }

        return TraceRedaction.WordIs(line, 1, "LOGIN") ? TraceRedaction.AfterWords(line, 2)
            : TraceRedaction.WordIs(line, 1, "AUTHENTICATE") ? TraceRedaction.AfterWords(line, 3)
            : -1;
    }

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        BytesIn += line.Length + 2;
        if (AwaitingContinuation)
        {
            return await base.OnLineAsync(line, ct).ConfigureAwait(false);
        }

        if (line.Span.Contains((byte)0))
        {
            string? tag = _command.Length > 0 ? TagOf(_command.Content.Span) : TagOf(line.Span);
            _command.Reset();
            Bad(tag, "NUL characters are not allowed in commands.");
            return CheckErrorBudget(SessionAction.Continue);
        }

        _command.AppendLine(line.Span);
        if (ImapCommandBuffer.TryGetLiteralMarker(line.Span, out long size, out bool nonSynchronizing, out _))
        {
            return await ReadLiteralAsync(size, nonSynchronizing, ct).ConfigureAwait(false);
        }

        try
        {
            // The command is complete: Net's loop parses its tag and name, checks its state and runs it.
            return await base.OnLineAsync(line, ct).ConfigureAwait(false);
        }
        finally
        {
            _command.Reset();
        }
    }

    protected override ValueTask<SessionAction> OnContinuationAsync(ReadOnlyMemory<byte> line, CancellationToken ct) =>
        Commands.AuthenticateCommand.ContinueAsync(this, line, ct);

    protected override void OnUnknownCommand(string name, ImapRequest request) => Bad(request.Tag, "Unknown command.");

    protected override ValueTask OnBadSequenceAsync(ImapCommandEntry entry, ImapRequest request, CancellationToken ct)
    {
        Bad(request.Tag, RefusalFor(entry.Allowed));
        return default;
    }

    protected override void OnTooManyErrors()
    {
        _endReason = EndReason.TooManyErrors;
        WriteLine("* BYE Too many invalid commands.");
    }

    protected override ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct)
    {
        // The loop drained the line, keeping its ends. When the command's tag is known (the line's start, or the first
        // line of a command continued after a literal) and the line does not announce a non-synchronising literal (whose
        // bytes the client is already sending, RFC 7888 §4), the command is answered with a tagged BAD and the session
        // goes on (RFC 9051 §7.1 TOOBIG). Otherwise the client would wait for a tagged reply forever: the session ends
        // as Dovecot's does ("* BYE Too long argument.").
        // An AUTHENTICATE response line (RFC 9051 §6.2.2) belongs to the command waiting for it.
        string? tag = PendingAuthTag ?? (_command.Length > 0 ? TagOf(_command.Content.Span) : TagOf(TooLongLineHead));
        bool tagIsWhole = PendingAuthTag is not null || _command.Length > 0 || TooLongLineHead.IndexOf((byte)' ') >= 0;
        PendingAuthTag = null;
        _command.Reset();
        if (tag is null || !tagIsWhole || TooLongLineTail.EndsWith("+}"u8))
        {
            _endReason = EndReason.TooLong;
            WriteLine("* BYE [TOOBIG] Command line too long.");
            return ValueTask.FromResult(SessionAction.Close);
        }

        WriteLine(tag + " BAD [TOOBIG] Command line too long.");
        return ValueTask.FromResult(CheckErrorBudget(SessionAction.Continue));
    }

    protected override ValueTask OnIdleTimeoutAsync(CancellationToken ct)
    {
        _endReason = EndReason.Inactivity;
        WriteLine("* BYE Disconnected for inactivity.");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken ct)
    {
        WriteLine("* BYE Server shutting down.");
        return default;
    }

    protected override ValueTask OnErrorAsync(CancellationToken ct)
    {
        WriteLine("* BYE Internal error occurred. Refer to server log for more information.");
        return default;
    }

    protected override void OnTlsStarted()
    {
        // RFC 9051 §6.2.1 (as RFC 3207 §4.2): forget anything the client sent before TLS.
        _command.Reset();
        PendingAuthTag = null;
    }

    protected override ValueTask OnEndAsync(SessionEnd reason)
    {
        // A command cut off by the disconnect may hold a spooled literal: its file goes now.
        _command.Reset();
        CloseMailbox();
        ClearNotify();
        LogDisconnect(reason);
        _watchTimer?.Dispose();
        _commandCancellation?.Dispose();
        return default;
    }

    /// <summary>
    /// The line ended with a literal marker: checks the announced size against the limits before reading any of it
    /// (DESIGN invariant 4), then reads exactly that many bytes into the command, or, for a large APPEND literal, into
    /// a spool file (DESIGN invariant 5: a session's memory must not grow with the message size). The size is compared
    /// with what is left of each budget, never added to what is already used: an announced size can be as large as
    /// <see cref="long.MaxValue"/> (<see cref="ImapCommandBuffer.TryGetLiteralMarker"/> saturates), and a sum would wrap.
    /// </summary>
    private async ValueTask<SessionAction> ReadLiteralAsync(long size, bool nonSynchronizing, CancellationToken ct)
    {
        ImapOptions options = Context.Options;

        // Before login APPEND is refused by state before any argument is read, so its literal is bounded like any
        // other command's rather than by the message limit.
        bool append = User is not null && IsAppend(_command.Content.Span);
        bool messageTooBig = append
            && (size > options.MaxLiteralSize || size > options.MaxLiteralSize + options.MaxCommandSize - _command.Length);

        // What an APPEND keeps in memory (its text and the literals not spooled) is bounded like any other command;
        // only a command that is not valid APPEND syntax (a run of literal-marker lines) can reach this.
        bool commandTooBig = append ? _command.MemoryLength > options.MaxCommandSize : size > options.MaxCommandSize - _command.Length;
        if (messageTooBig || commandTooBig)
        {
            string? tag = TagOf(_command.Content.Span);
            _command.Reset();
            if (nonSynchronizing)
            {
                // RFC 7888 §4: the client is already sending the data and nothing tells where the command ends.
                _endReason = EndReason.TooBig;
                WriteLine("* BYE [TOOBIG] Literal too big.");
                return SessionAction.Close;
            }

            // RFC 9051 §7.1 TOOBIG: without the "+" continuation the client sends none of the literal.
            if (tag is null)
            {
                Bad(null, "Literal too big.");
            }
            else
            {
                WriteLine(tag + " NO [TOOBIG] " + (messageTooBig ? "Message too large." : "Command too large."));
            }

            return CheckErrorBudget(SessionAction.Continue);
        }

        if (!nonSynchronizing)
        {
            // RFC 9051 §4.3: the continuation request invites the literal's data.
            WriteLine("+ Ready for literal data");
            await Output.FlushAsync(ct).ConfigureAwait(false);
        }

        SpooledLiteral? spool = null;
        if (append && (size > SpooledLiteral.Threshold || size > options.MaxCommandSize - _command.MemoryLength))
        {
            // A file in the user's Maildir tmp/: the store's file system, not /tmp.
            spool = SpooledLiteral.Create(Context.Mailboxes.GetTemporaryDirectory(User!));
            _command.AppendSpooledLiteral(spool);
        }

        RestartIdleTimer();
        try
        {
            await Input.CopyExactlyAsync(size, async chunk =>
            {
                if (spool is null)
                {
                    _command.AppendLiteral(chunk);
                }
                else
                {
                    await spool.WriteAsync(chunk, ct).ConfigureAwait(false);
                }

                BytesIn += chunk.Length;
                RestartIdleTimer();
            }, ct).ConfigureAwait(false);
            if (spool is not null)
            {
                await spool.CompleteAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            StopIdleTimer();
        }

        if (size == 0)
        {
            _command.AppendLiteral(ReadOnlySequence<byte>.Empty);
        }

        TraceClientSummary(append ? "message body" : "literal", size);
        return SessionAction.Continue;
    }

    protected override async ValueTask<SessionAction> ExecuteAsync(ImapCommandEntry entry, ImapRequest request, CancellationToken ct)
    {
        _running = entry;
        CancellationToken commandToken = WatchClient(entry, request, ct);
        try
        {
            SessionAction action = await entry.Command.ExecuteAsync(this, request, commandToken).ConfigureAwait(false);
            if (action == SessionAction.Continue)
            {
                // RFC 5465 §5.1: MessageNew's FETCH for messages the command's EXISTS announced.
                await PushNewMessagesAsync(commandToken).ConfigureAwait(false);
            }

            return action;
        }
        catch (OperationCanceledException) when (ClientLeft)
        {
            // The work stopped because nobody is there to answer: end the session as a broken connection does.
            _transportFailed = true;
            _endReason = EndReason.LeftDuringCommand;
            throw new IOException("The client closed the connection during " + request.Name + ".");
        }
        catch (ImapParseException ex)
        {
            Bad(request.Tag, ex.ResponseCode is null ? ex.Message : "[" + ex.ResponseCode + "] " + ex.Message);
            return SessionAction.Continue;
        }
        catch (ImapRefusalException ex)
        {
            Complete(request, "NO", ex.ResponseCode is null ? ex.Message : "[" + ex.ResponseCode + "] " + ex.Message);
            return SessionAction.Continue;
        }
        catch (MessageGoneException)
        {
            Complete(request, "NO", "[EXPUNGEISSUED] Some of the requested messages no longer exist.");
            return SessionAction.Continue;
        }
        catch (Exception ex) when (Core.StorageErrors.IsOutOfSpace(ex) && !_transportFailed)
        {
            // Dovecot's answer on ENOSPC/EDQUOT: RFC 5530 OVERQUOTA, a temporary condition the client may retry.
            ImapLog.StoreFailed(Context.Diagnostics, ex, User ?? "", request.Name);
            Complete(request, "NO", "[OVERQUOTA] Not enough disk space");
            return SessionAction.Continue;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !_transportFailed)
        {
            ImapLog.StoreFailed(Context.Diagnostics, ex, User ?? "", request.Name);
            WriteLine(request.Tag + " NO [SERVERBUG] Internal error occurred. Refer to server log for more information.");
            return SessionAction.Continue;
        }
        finally
        {
            _running = null;
            await StopWatchingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the tag and the command name of the assembled command; answers BAD itself when it cannot.</summary>
    protected override bool TryParseCommand(ReadOnlyMemory<byte> line, [NotNullWhen(true)] out string? name, [MaybeNullWhen(false)] out ImapRequest request)
    {
        name = null;
        request = null;
        var reader = new ImapArgumentReader(_command);
        string tag;
        try
        {
            tag = reader.ReadTag();
        }
        catch (ImapParseException)
        {
            Bad(null, "Error in IMAP command received by server.");
            return false;
        }

        bool uid = false;
        try
        {
            reader.ReadSpace();
            name = reader.ReadAtom().ToUpperInvariant();
            if (name == "UID" && reader.TryReadSpace())
            {
                name = "UID " + reader.ReadAtom().ToUpperInvariant();
                uid = true;
            }
        }
        catch (ImapParseException)
        {
            Bad(tag, "Error in IMAP command received by server.");
            name = null;
            return false;
        }

        request = new ImapRequest(tag, name, uid, _command);
        return true;
    }

    private static LineSessionOptions CreateOptions(ImapOptions options) => new()
    {
        MaxLineLength = options.MaxLineLength,
        IdleTimeout = options.IdleTimeout,
        LoginTimeout = options.LoginTimeout,
    };

    private static string RefusalFor(ImapState allowed) =>
        (allowed & ImapState.NotAuthenticated) != 0 && (allowed & ImapState.LoggedIn) == 0 ? "Already authenticated."
        : (allowed & ImapState.Authenticated) == 0 ? "No mailbox selected."
        : "Not authenticated.";

    private static bool IsAppend(ReadOnlySpan<byte> command)
    {
        int space = command.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = command[(space + 1)..];
        return rest.Length > 7 && System.Text.Ascii.EqualsIgnoreCase(rest[..7], "APPEND "u8);
    }

    /// <summary>The tag at the start of a command, when it is a valid one (RFC 9051 §9 "tag"), for replies to broken commands.</summary>
    private static string? TagOf(ReadOnlySpan<byte> command)
    {
        int end = command.IndexOf((byte)' ');
        ReadOnlySpan<byte> tag = end < 0 ? command : command[..end];
        if (tag.IsEmpty || tag.Length > 64)
        {
            return null;
        }

        foreach (byte b in tag)
        {
            if (b <= 0x20 || b >= 0x7F || "(){%*\"\\+"u8.Contains(b))
            {
                return null;
            }
        }

        return System.Text.Encoding.ASCII.GetString(tag);
    }
}

using System.Buffers;
using Mailroom.Net;
using Mailroom.Net.Trace;
using Mailroom.Sieve.ManageSieve.Protocol;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>
/// One ManageSieve session (RFC 5804) on the shared line loop: assembles each command from its lines and literals
/// (bounded before any literal octet is read), looks it up in the command table, checks the state before the handler
/// runs and spends the error budget. Replies are in <c>ManageSieveSession.Replies.cs</c>, login in
/// <c>ManageSieveSession.Login.cs</c>, the mail log in <c>ManageSieveSession.Log.cs</c>.
/// </summary>
internal sealed partial class ManageSieveSession : LineSession
{
    // A literal over the script limit is read and thrown away up to this multiple of it, so a slightly too large
    // script gets its NO (QUOTA/MAXSIZE); a larger one ends the session (the client is already sending it).
    private const int DrainFactor = 4;

    private readonly CommandBuffer _command = new();

    // For the transcript only: the command being read (across its literals) is AUTHENTICATE.
    private bool _tracingAuthenticate;
    private (string? Code, string Text)? _refusal;

    public ManageSieveSession(MailConnection connection, ManageSieveServerContext context)
        : base(connection, CreateOptions(context.Options), context.TimeProvider)
    {
        Context = context;
        _loginNotes = new LoginLogNotes(connection, context.TimeProvider);
    }

    public ManageSieveServerContext Context { get; }

    public ManageSieveState State { get; private set; } = ManageSieveState.NonAuthenticated;

    public MailConnection Client => Connection;

    /// <summary>An AUTHENTICATE PLAIN waiting for the client's response string (RFC 5804 §2.1).</summary>
    public bool PendingAuth { get; set; }

    /// <summary>AUTHENTICATE may be used now (TLS, or a loopback client, or configured to allow it).</summary>
    public bool LoginAllowed => Connection.IsSecure || Context.Options.AllowPlaintextAuth || (Connection.IsLoopback && Context.Options.AllowPlaintextAuthOnLoopback);

    private long MaxLiteral => Context.Sieve.MaxScriptSize;

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        WriteCapabilities();
        Ok(null, "Mailroom ManageSieve ready.");
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override bool TraceLiterals => true;

    /// <summary>
    /// A SASL response is all secret; so are AUTHENTICATE's initial response and the rest of an AUTHENTICATE command
    /// after a literal (RFC 5804 §2.1). Literals are only ever summarised.
    /// </summary>
    protected override int TraceSecretStart(ReadOnlySpan<byte> line)
    {
        if (PendingAuth)
        {
            return 0;
        }

        if (_command.Length > 0)
        {
            return _tracingAuthenticate ? 0 : -1;
        }

        _tracingAuthenticate = TraceRedaction.WordIs(line, 0, "AUTHENTICATE");
        return _tracingAuthenticate ? TraceRedaction.AfterWords(line, 2) : -1;
    }

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        BytesIn += line.Length + 2;
        if (_refusal is null)
        {
            _command.AppendLine(line.Span);
        }

        if (CommandBuffer.TryGetLiteralMarker(line.Span, out long size, out _))
        {
            return await ReadLiteralAsync(size, ct).ConfigureAwait(false);
        }

        SessionAction action;
        try
        {
            action = await CompleteAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _command.Reset();
            _refusal = null;
        }

        return CheckErrorBudget(action);
    }

    protected override ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct)
    {
        // The rest of a command cut off here cannot be told from a new command: the session ends (as Dovecot's does).
        _command.Reset();
        _endReason = EndReason.TooLong;
        Bye(null, "Command line too long.");
        return ValueTask.FromResult(SessionAction.Close);
    }

    protected override ValueTask OnIdleTimeoutAsync(CancellationToken ct)
    {
        _endReason = EndReason.Inactivity;
        Bye(null, "Disconnected for inactivity.");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken ct)
    {
        Bye(null, "Server shutting down.");
        return default;
    }

    protected override ValueTask OnErrorAsync(CancellationToken ct)
    {
        Bye(null, "Internal error occurred. Refer to server log for more information.");
        return default;
    }

    protected override void OnTlsStarted()
    {
        // RFC 5804 §2.2: forget what came before TLS, then issue the capabilities again, followed by OK.
        _command.Reset();
        _refusal = null;
        PendingAuth = false;
        WriteCapabilities();
        Ok(null, "TLS negotiation successful.");
    }

    protected override ValueTask OnEndAsync(SessionEnd reason)
    {
        LogDisconnect(reason);
        return default;
    }

    /// <summary>
    /// A literal's size is checked before any of its octets is read: within the script limit it is kept; somewhat
    /// over it, read and dropped, and the command answered NO (QUOTA/MAXSIZE); far over it, the session ends.
    /// </summary>
    private async ValueTask<SessionAction> ReadLiteralAsync(long size, CancellationToken ct)
    {
        long limit = MaxLiteral + Context.Options.MaxLineLength;
        bool keep = _refusal is null && _command.Length + size <= limit;
        if (!keep && size > (long)DrainFactor * limit)
        {
            _command.Reset();
            _endReason = EndReason.TooLong;
            Bye("QUOTA/MAXSIZE", "Literal too large.");
            return SessionAction.Close;
        }

        if (keep)
        {
            _command.BeginLiteral();
        }
        else
        {
            _refusal ??= ("QUOTA/MAXSIZE", "Script is too large.");
            _command.Reset();
        }

        RestartIdleTimer();
        try
        {
            await Input.CopyExactlyAsync(size, chunk =>
            {
                if (keep)
                {
                    _command.AppendLiteral(chunk);
                }

                BytesIn += chunk.Length;
                ReportTransferProgress(chunk.Length);
                return ValueTask.CompletedTask;
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            StopIdleTimer();
        }

        TraceClientSummary("literal", size);
        return SessionAction.Continue;
    }

    private async ValueTask<SessionAction> CompleteAsync(CancellationToken ct)
    {
        if (_refusal is { } refusal)
        {
            PendingAuth = false;
            No(refusal.Code, refusal.Text);
            return SessionAction.Continue;
        }

        if (!_command.TryParse(out List<Argument> arguments, out string? error))
        {
            if (PendingAuth)
            {
                PendingAuth = false;
                No(null, "Authentication failed.");
                return SessionAction.Continue;
            }

            Invalid(error!);
            return SessionAction.Continue;
        }

        if (PendingAuth)
        {
            PendingAuth = false;
            return await Commands.AuthenticateCommand.ContinueAsync(this, arguments, ct).ConfigureAwait(false);
        }

        if (arguments.Count == 0)
        {
            Invalid("Empty command.");
            return SessionAction.Continue;
        }

        if (arguments[0].Kind != ArgumentKind.Atom
            || !ManageSieveCommandTable.Commands.TryGetValue(System.Text.Encoding.ASCII.GetString(arguments[0].Value).ToUpperInvariant(), out ManageSieveCommandEntry? entry))
        {
            Invalid("Unknown command.");
            return SessionAction.Continue;
        }

        if ((entry.Allowed & State) == 0)
        {
            Invalid(entry.Refusal);
            return SessionAction.Continue;
        }

        int errorsBefore = Errors;
        SessionAction action = await entry.Command.ExecuteAsync(this, arguments.GetRange(1, arguments.Count - 1), ct).ConfigureAwait(false);
        StopIdleTimer();
        if (State == ManageSieveState.Authenticated && Errors == errorsBefore)
        {
            // As for POP3: after login only errors in a row end the session.
            Errors = 0;
        }

        return action;
    }

    private SessionAction CheckErrorBudget(SessionAction action)
    {
        if (action != SessionAction.Close && Errors >= Context.Options.MaxErrors)
        {
            _endReason = EndReason.TooManyErrors;
            Bye(null, "Too many invalid commands.");
            return SessionAction.Close;
        }

        return action;
    }

    /// <summary>
    /// Each command line within the idle timeout (absolute per line); before login, the whole dialogue within
    /// <see cref="ManageSieveOptions.LoginTimeout"/> from the connection's start (as POP3's and IMAP's login deadlines).
    /// </summary>
    private static LineSessionOptions CreateOptions(ManageSieveOptions options) => new()
    {
        MaxLineLength = options.MaxLineLength,
        IdleTimeout = options.LoginTimeout,
        LoginTimeout = options.LoginTimeout,
    };
}

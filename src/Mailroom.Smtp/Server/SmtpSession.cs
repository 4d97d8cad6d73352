using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>
/// One SMTP server session (RFC 5321) on the shared line loop: parses each line into a command, checks the
/// command table's allowed states before any handler runs, spends the error budget and writes the mail log.
/// Transaction state lives in <c>SmtpSession.Transaction.cs</c>, replies in <c>SmtpSession.Replies.cs</c>.
/// </summary>
internal sealed partial class SmtpSession : LineSession
{
    private readonly CommandCounters _counters = new();
    private string _lastCommand = "CONNECT";

    // The verb whose handler is running: if the session ends inside it (client gone during DATA, timeout), the
    // disconnect line counts it as failed, as Postfix's "data=0/1" does.
    private string? _running;

    public SmtpSession(MailConnection connection, SmtpServerContext context)
        : base(connection, new LineSessionOptions { MaxLineLength = context.Options.MaxLineLength, IdleTimeout = context.Options.IdleTimeout }, context.TimeProvider)
    {
        Context = context;
        ClientAddress = connection.RemoteEndPoint.Address.ToString();

        // Without reverse DNS (which would let a slow resolver stall every connection), loopback is "localhost" and
        // every other client "unknown", the names Postfix logs when it has no verified name.
        ClientName = connection.IsLoopback ? "localhost" : "unknown";
    }

    public SmtpServerContext Context { get; }

    public string ClientName { get; }

    public string ClientAddress { get; }

    public string Hostname => Context.Options.Hostname;

    public MailConnection Client => Connection;

    public PipeReader ClientInput => Input;

    /// <summary>The SASL exchange waiting for the client's next line, if any (RFC 4954 §4 continuations).</summary>
    public AuthExchange? PendingAuth { get; set; }

    /// <summary>Re-arms the idle timer while DATA or a BDAT chunk makes progress.</summary>
    public void KeepAlive() => RestartIdleTimer();

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        SmtpLog.Connect(Context.Smtpd, ClientName, ClientAddress);
        WriteLine($"220 {Hostname} ESMTP Mailroom");
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        CommandFailed = false;
        SessionAction action;
        string verb;
        if (PendingAuth is not null)
        {
            verb = "AUTH";
            action = await PendingAuth.ContinueAsync(this, line, ct).ConfigureAwait(false);
        }
        else if (!SmtpCommandLine.TryParse(line.Span, out SmtpCommandLine command))
        {
            verb = "unknown";
            Reply(SmtpReplies.BadUtf8);
            action = SessionAction.Continue;
        }
        else if (!SmtpCommandTable.Commands.TryGetValue(command.Verb, out SmtpCommandEntry? entry))
        {
            verb = "unknown";
            _lastCommand = "UNKNOWN";
            Reply(SmtpReplies.CommandNotRecognized);
            action = SessionAction.Continue;
        }
        else
        {
            verb = command.Verb;
            _lastCommand = command.Verb;
            if ((entry.Allowed & State) == 0)
            {
                await entry.Command.OnRefusedAsync(this, command.Argument, ct).ConfigureAwait(false);
                Reply(entry.Refusal(this));
                action = SessionAction.Continue;
            }
            else
            {
                _running = verb;
                action = await entry.Command.ExecuteAsync(this, command.Argument, ct).ConfigureAwait(false);
                _running = null;
            }
        }

        if (PendingAuth is null)
        {
            _counters.Record(verb, !CommandFailed);
        }

        return CheckErrorBudget(action);
    }

    protected override ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct)
    {
        // An overlong SASL response ends the exchange as a failed one.
        PendingAuth = null;
        Reply(SmtpReplies.LineTooLong);
        _counters.Record("unknown", succeeded: false);
        return ValueTask.FromResult(CheckErrorBudget(SessionAction.Continue));
    }

    protected override ValueTask OnIdleTimeoutAsync(CancellationToken ct)
    {
        // RFC 5321 §4.5.3.2: the server may close after its timeout; Postfix's words.
        SmtpLog.Timeout(Context.Smtpd, _lastCommand, ClientName, ClientAddress);
        WriteLine($"421 4.4.2 {Hostname} Error: timeout exceeded");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken ct)
    {
        WriteLine($"421 4.3.2 {Hostname} Service shutting down");
        return default;
    }

    protected override ValueTask OnErrorAsync(CancellationToken ct)
    {
        WriteLine($"421 4.3.0 {Hostname} Error: internal error");
        return default;
    }

    protected override void OnTlsStarted()
    {
        // RFC 3207 §4.2: forget everything learnt from the client before TLS, HELO and AUTH included.
        ResetTransaction();
        Helo = null;
        Extended = false;
        AuthenticatedUser = null;
        AuthMethod = null;
        PendingAuth = null;
        State = SmtpState.Connected;
    }

    protected override async ValueTask OnEndAsync(SessionEnd reason)
    {
        if (reason is SessionEnd.ClientDisconnected or SessionEnd.TlsFailed)
        {
            SmtpLog.LostConnection(Context.Smtpd, _lastCommand, ClientName, ClientAddress);
        }

        if (_running is not null)
        {
            _counters.Record(_running, succeeded: false);
        }

        await DisposeTransactionAsync().ConfigureAwait(false);
        SmtpLog.Disconnect(Context.Smtpd, ClientName, ClientAddress, _counters.ToString());
    }

    private SessionAction CheckErrorBudget(SessionAction action)
    {
        if (action != SessionAction.Close && Errors >= Context.Options.MaxErrors)
        {
            SmtpLog.TooManyErrors(Context.Smtpd, _lastCommand, ClientName, ClientAddress);
            WriteLine($"421 4.7.0 {Hostname} Error: too many errors");
            return SessionAction.Close;
        }

        return action;
    }

    private void WriteLine(string text)
    {
        // Replies may quote the client's text (an unsupported parameter, an address). RFC 5321 §4.2: a reply line holds
        // no CR or LF; control characters become '?' as Postfix's printable() makes them, so a client cannot end a
        // reply line early or forge one (found by fuzz/Mailroom.Fuzz's smtp-session target).
        Encoding.UTF8.GetBytes(text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.Contains('\u007f', StringComparison.Ordinal) ? Printable(text) : text, Output);
        Output.Write("\r\n"u8);
    }

    private static string Printable(string text) =>
        string.Create(text.Length, text, static (chars, source) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
}

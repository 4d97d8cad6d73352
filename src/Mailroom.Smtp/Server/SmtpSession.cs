using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text;
using Mailroom.Net;
using Mailroom.Net.Trace;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>
/// One SMTP server session (RFC 5321) on the shared command loop: parses each line into a verb and argument for the
/// command table (whose allowed states Net checks before any handler runs), answers in Postfix's words and writes the
/// mail log. Transaction state lives in <c>SmtpSession.Transaction.cs</c>, replies in <c>SmtpSession.Replies.cs</c>.
/// </summary>
internal sealed partial class SmtpSession : CommandSession<string, SmtpState, SmtpCommandEntry>
{
    private readonly CommandCounters _counters = new();
    private string _lastCommand = "CONNECT";

    public SmtpSession(MailConnection connection, SmtpServerContext context)
        : base(connection, CreateOptions(context), context.TimeProvider, SmtpCommandTable.Commands, SmtpState.Connected, context.Options.MaxErrors)
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

    protected override bool AwaitingContinuation => PendingAuth is not null;

    /// <summary>AUTH's initial response (RFC 4954 §4) is the secret; the mechanism name stays readable.</summary>
    protected override int CommandSecretStart(ReadOnlySpan<byte> line) =>
        TraceRedaction.WordIs(line, 0, "AUTH") ? TraceRedaction.AfterWords(line, 2) : -1;

    /// <summary>DATA or BDAT content, read past the line reader: the transcript has its size only.</summary>
    public void TraceMessageBody(long bytes) => TraceClientSummary("message body", bytes);

    /// <summary>DATA or a BDAT chunk starts: the transfer gets <see cref="SmtpOptions.IdleTimeout"/> from now.</summary>
    public void StartTransfer() => RestartIdleTimer();

    /// <summary>DATA or BDAT content arrived: the deadline moves on at <see cref="SmtpOptions.MinDataRate"/> (Postfix's smtpd_min_data_rate).</summary>
    public void TransferProgress(long bytes) => ReportTransferProgress(bytes);

    /// <summary>AUTH succeeded: the session is the user's, and the submission login deadline is over.</summary>
    public void CompleteLogin(string user, string mechanism)
    {
        AuthenticatedUser = user;
        AuthMethod = mechanism;
        EndLoginDeadline();
        TraceLogin(user);
    }

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        SmtpLog.Connect(Context.Smtpd, ClientName, ClientAddress);
        if (!await PassesPregreetTestAsync(ct).ConfigureAwait(false))
        {
            RefusedAtGreeting = true;
            return;
        }

        if (await ConnectMiltersAsync(ct).ConfigureAwait(false) is not { } greeting)
        {
            RefusedAtGreeting = true;
            return;
        }

        StartBlocklistLookups();
        WriteLine(greeting);
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override bool TryParseCommand(ReadOnlyMemory<byte> line, [NotNullWhen(true)] out string? name, [MaybeNullWhen(false)] out string request)
    {
        if (!SmtpCommandLine.TryParse(line.Span, out SmtpCommandLine command))
        {
            Reply(SmtpReplies.BadUtf8);
            name = null;
            request = null;
            return false;
        }

        // Postfix's "timeout after DATA", "lost connection after RCPT" name the last command, UNKNOWN if not one of ours.
        _lastCommand = SmtpCommandTable.Commands.ContainsKey(command.Verb) ? command.Verb : "UNKNOWN";
        name = command.Verb;
        request = command.Argument;
        return true;
    }

    protected override ValueTask<SessionAction> ExecuteAsync(SmtpCommandEntry entry, string request, CancellationToken ct) =>
        entry.Command.ExecuteAsync(this, request, ct);

    protected override void OnUnknownCommand(string name, string request) => Reply(SmtpReplies.CommandNotRecognized);

    protected override async ValueTask OnBadSequenceAsync(SmtpCommandEntry entry, string request, CancellationToken ct)
    {
        await entry.Command.OnRefusedAsync(this, request, ct).ConfigureAwait(false);
        Reply(entry.Refusal(this));
    }

    protected override async ValueTask<SessionAction> OnContinuationAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        SessionAction action = await PendingAuth!.ContinueAsync(this, line, ct).ConfigureAwait(false);
        if (PendingAuth is null)
        {
            _counters.Record("AUTH", !CommandFailed);
        }

        return action;
    }

    protected override void OnCommandDone(string? name)
    {
        // An AUTH that started an exchange is counted when the exchange ends.
        if (PendingAuth is null)
        {
            _counters.Record(name ?? "unknown", !CommandFailed);
        }
    }

    protected override void OnTooManyErrors()
    {
        SmtpLog.TooManyErrors(Context.Smtpd, _lastCommand, ClientName, ClientAddress);
        WriteLine($"421 4.7.0 {Hostname} Error: too many errors");
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

        if (RunningCommand is not null)
        {
            _counters.Record(RunningCommand, succeeded: false);
        }

        StopBlocklistLookups();
        await DisposeTransactionAsync().ConfigureAwait(false);
        await CloseMiltersAsync().ConfigureAwait(false);
        SmtpLog.Disconnect(Context.Smtpd, ClientName, ClientAddress, _counters.ToString());
    }

    private static LineSessionOptions CreateOptions(SmtpServerContext context) => new()
    {
        MaxLineLength = context.Options.MaxLineLength,
        IdleTimeout = context.Options.IdleTimeout,
        MinDataRate = context.Options.MinDataRate,

        // Submission requires AUTH before MAIL (RFC 6409 §4.1): the dialogue up to it has a deadline of its own. An MTA
        // session never logs in; its commands and its DATA have their own deadlines.
        LoginTimeout = context.IsSubmission ? context.Options.LoginTimeout : null,
    };

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

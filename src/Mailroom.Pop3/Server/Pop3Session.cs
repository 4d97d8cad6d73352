using System.Diagnostics.CodeAnalysis;
using System.Text;
using Mailroom.Net;
using Mailroom.Net.Trace;

namespace Mailroom.Pop3.Server;

/// <summary>
/// One POP3 server session (RFC 1939) on the shared command loop: parses each line into a verb and argument for the
/// command table (whose allowed states Net checks before any handler runs) and answers in Dovecot's words. Replies
/// are in <c>Pop3Session.Replies.cs</c>, login and the maildrop in <c>Pop3Session.Login.cs</c>, the mail log in
/// <c>Pop3Session.Log.cs</c>.
/// </summary>
internal sealed partial class Pop3Session : CommandSession<string, Pop3State, Pop3CommandEntry>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Pop3Session(MailConnection connection, Pop3ServerContext context)
        : base(connection, CreateOptions(context.Options), context.TimeProvider, Pop3CommandTable.Commands, Pop3State.Authorization, context.Options.MaxErrors)
    {
        Context = context;
        _loginNotes = new LoginLogNotes(connection, context.TimeProvider);
    }

    public Pop3ServerContext Context { get; }

    public MailConnection Client => Connection;

    /// <summary>A SASL PLAIN exchange waiting for the client's response line (RFC 5034 §4), if any.</summary>
    public bool PendingAuth { get; set; }

    /// <summary>USER/PASS and AUTH may be used now (TLS, or a loopback client, or configured to allow it).</summary>
    public bool LoginAllowed => Pop3PlaintextPolicy.IsLoginAllowed(Context.Options, Connection.IsSecure, Connection.IsLoopback);

    protected override bool AwaitingContinuation => PendingAuth;

    /// <summary>PASS's password, APOP's digest and AUTH's initial response are secret (RFC 1939 §7, RFC 5034 §4).</summary>
    protected override int CommandSecretStart(ReadOnlySpan<byte> line) =>
        TraceRedaction.WordIs(line, 0, "PASS") ? TraceRedaction.AfterWords(line, 1)
        : TraceRedaction.WordIs(line, 0, "APOP") || TraceRedaction.WordIs(line, 0, "AUTH") ? TraceRedaction.AfterWords(line, 2)
        : -1;

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        Ok("Mailroom ready.");
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override bool TryParseCommand(ReadOnlyMemory<byte> line, [NotNullWhen(true)] out string? name, [MaybeNullWhen(false)] out string request)
    {
        if (!TryParse(line.Span, out string verb, out string argument))
        {
            Err("Invalid characters in command.");
            name = null;
            request = null;
            return false;
        }

        name = verb;
        request = argument;
        return true;
    }

    protected override ValueTask<SessionAction> ExecuteAsync(Pop3CommandEntry entry, string request, CancellationToken ct) =>
        entry.Command.ExecuteAsync(this, request, ct);

    protected override void OnUnknownCommand(string name, string request) => Err("Unknown command.");

    protected override ValueTask OnBadSequenceAsync(Pop3CommandEntry entry, string request, CancellationToken ct)
    {
        Err(entry.Refusal);
        return default;
    }

    protected override ValueTask<SessionAction> OnContinuationAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        PendingAuth = false;
        return Commands.AuthCommand.ContinueAsync(this, line.Span, ct);
    }

    protected override void OnTooManyErrors()
    {
        _endReason = EndReason.TooManyErrors;
        WriteLine("-ERR Too many bad commands.");
    }

    protected override ValueTask<SessionAction> OnLineTooLongAsync(CancellationToken ct)
    {
        // An overlong SASL response ends the exchange as a failed one.
        PendingAuth = false;
        Err("Line too long.");
        return ValueTask.FromResult(CheckErrorBudget(SessionAction.Continue));
    }

    protected override ValueTask OnIdleTimeoutAsync(CancellationToken ct)
    {
        _endReason = EndReason.Inactivity;
        WriteLine("-ERR Disconnected for inactivity.");
        return default;
    }

    protected override ValueTask OnShutdownAsync(CancellationToken ct)
    {
        WriteLine("-ERR Server shutting down.");
        return default;
    }

    protected override ValueTask OnErrorAsync(CancellationToken ct)
    {
        WriteLine("-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.");
        return default;
    }

    protected override void OnTlsStarted()
    {
        // RFC 2595 §4 (as RFC 3207 §4.2): forget what the client said before TLS, a USER name included.
        PendingUser = null;
        PendingAuth = false;
    }

    protected override ValueTask OnEndAsync(SessionEnd reason)
    {
        // The lock goes before the line is logged: whoever reads "Disconnected" (an admin, a script, a test) can log in
        // again at once (the counts the line reports stay readable after the release).
        ReleaseMaildrop();
        LogDisconnect(reason);
        return default;
    }

    /// <summary>Splits <c>VERB [argument]</c>; false for NUL bytes, invalid UTF-8 or a verb that is not letters.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> line, out string verb, out string argument)
    {
        verb = "";
        argument = "";
        if (line.Contains((byte)0))
        {
            return false;
        }

        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> verbBytes = space < 0 ? line : line[..space];
        // An empty, overlong or non-alphabetic verb is simply an unknown command.
        if (verbBytes.IsEmpty || verbBytes.Length > 8)
        {
            return true;
        }

        foreach (byte b in verbBytes)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return true;
            }
        }

        try
        {
            argument = space < 0 ? "" : StrictUtf8.GetString(line[(space + 1)..]).TrimEnd(' ');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        verb = Encoding.ASCII.GetString(verbBytes).ToUpperInvariant();
        return true;
    }

    private static LineSessionOptions CreateOptions(Pop3Options options) => new()
    {
        MaxLineLength = options.MaxLineLength,
        IdleTimeout = options.IdleTimeout,
        LoginTimeout = options.LoginTimeout,
    };
}

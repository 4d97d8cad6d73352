using System.Text;
using Mailroom.Net;

namespace Mailroom.Pop3.Server;

/// <summary>
/// One POP3 server session (RFC 1939) on the shared line loop: parses each line into a command, checks the command
/// table's allowed states before any handler runs and spends the error budget. Replies are in
/// <c>Pop3Session.Replies.cs</c>, login and the maildrop in <c>Pop3Session.Login.cs</c>, the mail log in
/// <c>Pop3Session.Log.cs</c>.
/// </summary>
internal sealed partial class Pop3Session : LineSession
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Pop3Session(MailConnection connection, Pop3ServerContext context)
        : base(connection, new LineSessionOptions { MaxLineLength = context.Options.MaxLineLength, IdleTimeout = context.Options.IdleTimeout }, context.TimeProvider)
    {
        Context = context;
        _loginNotes = new LoginLogNotes(connection, context.TimeProvider);
    }

    public Pop3ServerContext Context { get; }

    public Pop3State State { get; private set; } = Pop3State.Authorization;

    public MailConnection Client => Connection;

    /// <summary>A SASL PLAIN exchange waiting for the client's response line (RFC 5034 §4), if any.</summary>
    public bool PendingAuth { get; set; }

    /// <summary>USER/PASS and AUTH may be used now (TLS, or a loopback client, or configured to allow it).</summary>
    public bool LoginAllowed => Pop3PlaintextPolicy.IsLoginAllowed(Context.Options, Connection.IsSecure, Connection.IsLoopback);

    /// <summary>Re-arms the idle timer while a large message is being sent (a client that stops reading times out).</summary>
    public void KeepAlive() => RestartIdleTimer();

    protected override async ValueTask OnStartAsync(CancellationToken ct)
    {
        Ok("Mailroom ready.");
        await Output.FlushAsync(ct).ConfigureAwait(false);
    }

    protected override async ValueTask<SessionAction> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        SessionAction action;
        if (PendingAuth)
        {
            PendingAuth = false;
            action = await Commands.AuthCommand.ContinueAsync(this, line.Span, ct).ConfigureAwait(false);
        }
        else if (!TryParse(line.Span, out string verb, out string argument))
        {
            Err("Invalid characters in command.");
            action = SessionAction.Continue;
        }
        else if (!Pop3CommandTable.Commands.TryGetValue(verb, out Pop3CommandEntry? entry))
        {
            Err("Unknown command.");
            action = SessionAction.Continue;
        }
        else if ((entry.Allowed & State) == 0)
        {
            Err(entry.Refusal);
            action = SessionAction.Continue;
        }
        else
        {
            int errorsBefore = Errors;
            action = await entry.Command.ExecuteAsync(this, argument, ct).ConfigureAwait(false);
            StopIdleTimer();
            if (State == Pop3State.Transaction && Errors == errorsBefore)
            {
                // As Dovecot's pop3: a logged-in session is ended only by bad commands in a row, so a long session is
                // not cut off for a few harmless errors. Before login every error counts (as its pop3-login does).
                Errors = 0;
            }
        }

        return CheckErrorBudget(action);
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
        LogDisconnect(reason);
        ReleaseMaildrop();
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

    private SessionAction CheckErrorBudget(SessionAction action)
    {
        if (action != SessionAction.Close && Errors >= Context.Options.MaxErrors)
        {
            _endReason = EndReason.TooManyErrors;
            WriteLine("-ERR Too many bad commands.");
            return SessionAction.Close;
        }

        return action;
    }
}

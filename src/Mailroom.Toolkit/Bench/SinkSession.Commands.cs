using System.Globalization;
using System.Text;

namespace Mailroom.Toolkit.Bench;

/// <summary>The sink's command handlers.</summary>
internal sealed partial class SinkSession
{
    private static readonly string[] KnownVerbs = ["MAIL", "RCPT", "DATA", "EHLO", "QUIT", "HELO", "BDAT", "RSET", "NOOP", "VRFY", "STARTTLS"];

    /// <summary>
    /// The command's verb as one of <see cref="KnownVerbs"/> (case-insensitive, RFC 5321 §2.4), or empty for an
    /// unknown one; matching the bytes allocates nothing per command.
    /// </summary>
    private static string VerbOf(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> argument)
    {
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> verb = space < 0 ? line : line[..space];
        argument = space < 0 ? default : line[(space + 1)..];
        foreach (string known in KnownVerbs)
        {
            if (Ascii.EqualsIgnoreCase(verb, known))
            {
                return known;
            }
        }

        return string.Empty;
    }

    /// <summary>Handles one command; returns true when the rest of the buffered input must not be processed.</summary>
    private async ValueTask<bool> CommandAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "EHLO":
                WriteEhlo();
                ResetTransaction();
                return false;
            case "HELO":
                Write($"250 {Settings.HostName}\r\n");
                ResetTransaction();
                return false;
            case "MAIL":
                Mail();
                return false;
            case "RCPT":
                Rcpt();
                return false;
            case "DATA":
                await DataAsync(cancellationToken).ConfigureAwait(false);
                return false;
            case "BDAT":
                Bdat(argument);
                return false;
            case "RSET":
                ResetTransaction();
                Write("250 2.0.0 Ok\r\n");
                return false;
            case "NOOP":
                Write("250 2.0.0 Ok\r\n");
                return false;
            case "VRFY":
                Write("252 2.0.0 Send some mail, I'll try my best\r\n");
                return false;
            case "QUIT":
                Write("221 2.0.0 Bye\r\n");
                _mode = Mode.Closed;
                return true;
            case "STARTTLS" when _certificate is not null && _stream is not System.Net.Security.SslStream:
                Write("220 2.0.0 Ready to start TLS\r\n");
                await FlushAsync(cancellationToken).ConfigureAwait(false);

                // RFC 3207 §4.2 / CVE-2011-0411: plaintext pipelined after STARTTLS is discarded, and the
                // session starts over (the client must send EHLO again).
                _start = _end = 0;
                ResetTransaction();
                await UpgradeAsync(cancellationToken).ConfigureAwait(false);
                return true;
            default:
                Write("502 5.5.2 Error: command not recognized\r\n");
                return false;
        }
    }

    private void WriteEhlo()
    {
        var reply = new StringBuilder();
        reply.Append(CultureInfo.InvariantCulture, $"250-{Settings.HostName}\r\n");
        reply.Append("250-PIPELINING\r\n250-8BITMIME\r\n250-CHUNKING\r\n250-ENHANCEDSTATUSCODES\r\n");
        if (_certificate is not null && _stream is not System.Net.Security.SslStream)
        {
            reply.Append("250-STARTTLS\r\n");
        }

        reply.Append("250 SMTPUTF8\r\n");
        Write(reply.ToString());
    }

    private void Mail()
    {
        if (_hasMail)
        {
            Write("503 5.5.1 Error: nested MAIL command\r\n");
        }
        else if (Settings.MailFailure is { } rule && rule.ShouldFail())
        {
            _sink.Stats.AddRejectedMail();
            Write(rule.Reply("MAIL"));
        }
        else
        {
            _hasMail = true;
            Write("250 2.1.0 Ok\r\n");
        }
    }

    private void Rcpt()
    {
        if (!_hasMail)
        {
            Write("503 5.5.1 Error: need MAIL command\r\n");
        }
        else if (Settings.RcptFailure is { } rule && rule.ShouldFail())
        {
            _sink.Stats.AddRejectedRecipient();
            Write(rule.Reply("RCPT"));
        }
        else
        {
            _recipients++;
            _sink.Stats.AddRecipient();
            Write("250 2.1.5 Ok\r\n");
        }
    }

    private async ValueTask DataAsync(CancellationToken cancellationToken)
    {
        if (Settings.DataDelay > TimeSpan.Zero)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settings.DataDelay, cancellationToken).ConfigureAwait(false);
        }

        if (!_hasMail)
        {
            Write("503 5.5.1 Error: need MAIL command\r\n");
        }
        else if (_recipients == 0)
        {
            // RFC 2920 §3.1: DATA after only refused recipients fails, so pipelined content is not taken as commands.
            Write("554 5.5.1 Error: no valid recipients\r\n");
        }
        else if (Settings.DataFailure is { } rule && rule.ShouldFail())
        {
            _sink.Stats.AddRejectedData();
            Write(rule.Reply("DATA"));
        }
        else
        {
            Write("354 End data with <CR><LF>.<CR><LF>\r\n");
            _scanner.Reset();
            _messageBytes = 0;
            _mode = Mode.Data;
        }
    }

    private void Bdat(string argument)
    {
        string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            || (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            Write("501 5.5.4 Syntax: BDAT count [LAST]\r\n");
            return;
        }

        _bdatChunkSize = size;
        _bdatRemaining = size;
        _bdatLast = parts.Length == 2;
        if (size == 0)
        {
            EndOfChunk();
            return;
        }

        _mode = Mode.Bdat;
    }
}

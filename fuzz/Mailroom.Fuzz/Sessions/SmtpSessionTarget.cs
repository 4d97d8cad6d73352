using System.Text;
using Mailroom.Smtp;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// An SMTP session (RFC 5321) fed fuzzed bytes: commands, pipelining, DATA and BDAT content, AUTH exchanges, RSET,
/// errors up to the error budget. States (first byte, low two bits): 0 just greeted, 1 after EHLO, 2 inside a
/// transaction (MAIL and RCPT accepted), 3 on the submission port, authenticated. Bit 2 normalises bare line ends
/// instead of refusing them.
/// </summary>
internal sealed class SmtpSessionTarget : SessionTarget
{
    private static readonly byte[][] Prefixes =
    [
        [],
        Encoding.ASCII.GetBytes("EHLO client.example.net\r\n"),
        Encoding.ASCII.GetBytes("EHLO client.example.net\r\nMAIL FROM:<sender@example.net>\r\nRCPT TO:<fuzz@example.org>\r\n"),
        Encoding.ASCII.GetBytes("EHLO client.example.net\r\nAUTH PLAIN AGZ1enpAZXhhbXBsZS5vcmcAc2VjcmV0\r\n"),
    ];

    private readonly FuzzDirectory _directory = new();
    private readonly CountingSubmitter _submitter = new();

    public override string Name => "smtp-session";

    public override string Description => "SMTP session after greeting, EHLO, MAIL+RCPT or AUTH: commands, DATA, BDAT, AUTH";

    public override string? Dictionary => "smtp.dict";

    protected override void RunSession(byte state, ReadOnlySpan<byte> input)
    {
        int stage = state & 3;
        var options = new SmtpOptions
        {
            Hostname = "mx.example.org",
            // Small enough that fuzzed input reaches the limits, large enough for real commands and messages.
            MaxMessageSize = 32 * 1024,
            MaxRecipients = 20,
            AllowPlaintextAuth = true,
            EnableVrfy = true,
            BareLineEndings = (state & 4) != 0 ? BareLineEndingHandling.Normalize : BareLineEndingHandling.Reject,
        };
        SmtpListenerRole role = stage == 3 ? SmtpListenerRole.Submission : SmtpListenerRole.Mta;
        var handler = new SmtpConnectionHandler(role, Options.Create(options), _directory, _submitter, Sessions.NewThrottle(), Sessions.Logs, TimeProvider.System);
        Sessions.Run(role == SmtpListenerRole.Submission ? "submission" : "smtp", handler, Prefixes[stage], input, ReplyFraming.Protocol.Smtp);
    }
}

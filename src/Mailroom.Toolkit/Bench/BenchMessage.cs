using System.Globalization;
using System.Text;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// The wire bytes of one benchmark transaction, built once and reused for every message so the sender spends
/// its time on the server, not on formatting.
/// </summary>
internal sealed class BenchMessage
{
    private const int LineLength = 76;

    public BenchMessage(BenchSendSettings settings, DateTimeOffset now)
    {
        var envelope = new StringBuilder();
        envelope.Append(CultureInfo.InvariantCulture, $"MAIL FROM:<{settings.From}>\r\n");
        foreach (string to in settings.To)
        {
            envelope.Append(CultureInfo.InvariantCulture, $"RCPT TO:<{to}>\r\n");
        }

        MailCommand = Encoding.UTF8.GetBytes($"MAIL FROM:<{settings.From}>\r\n");
        RcptCommands = [.. settings.To.Select(to => Encoding.UTF8.GetBytes($"RCPT TO:<{to}>\r\n"))];
        DataCommand = "DATA\r\n"u8.ToArray();
        envelope.Append("DATA\r\n");
        EnvelopeGroup = Encoding.UTF8.GetBytes(envelope.ToString());

        Content = BuildContent(settings, now);
        ContentAndEnvelopeGroup = [.. Content, .. EnvelopeGroup];
        RsetAndEnvelopeGroup = [.. "RSET\r\n"u8, .. EnvelopeGroup];
        ContentAndQuit = [.. Content, .. "QUIT\r\n"u8];
    }

    public byte[] MailCommand { get; }

    public byte[][] RcptCommands { get; }

    public byte[] DataCommand { get; }

    /// <summary>MAIL, every RCPT and DATA as one RFC 2920 command group.</summary>
    public byte[] EnvelopeGroup { get; }

    /// <summary>RFC 2920 §3.1: RSET may lead a group; sent after a transaction refused before its content.</summary>
    public byte[] RsetAndEnvelopeGroup { get; }

    /// <summary>Header, body and the terminating <c>.CRLF</c>.</summary>
    public byte[] Content { get; }

    /// <summary>
    /// RFC 2920 §3.1 allows message content to be the first "command" of a group, so the next transaction's
    /// envelope rides in the same packet as this message: one round trip per message.
    /// </summary>
    public byte[] ContentAndEnvelopeGroup { get; }

    /// <summary>
    /// The connection's last message with QUIT pipelined behind it (RFC 2920 §3.1: QUIT may end a group), which
    /// saves a send and a round trip per connection.
    /// </summary>
    public byte[] ContentAndQuit { get; }

    public int RecipientCount => RcptCommands.Length;

    private static byte[] BuildContent(BenchSendSettings settings, DateTimeOffset now)
    {
        var text = new StringBuilder(settings.BodySize + 512);
        text.Append(CultureInfo.InvariantCulture, $"From: <{settings.From}>\r\n");
        text.Append(CultureInfo.InvariantCulture, $"To: {string.Join(", ", settings.To.Select(t => $"<{t}>"))}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Subject: {settings.Subject}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {MimeKit.Utils.DateUtils.FormatDate(now)}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Message-ID: <{Guid.NewGuid():N}@mailroom-bench>\r\n");
        text.Append("\r\n");

        // Body lines never start with '.', so no dot-stuffing is needed (RFC 5321 §4.5.2).
        int remaining = settings.BodySize;
        while (remaining > 0)
        {
            int take = Math.Min(remaining, LineLength + 2);
            // A remainder too short for a character and CRLF still ends with CRLF (at most one byte over).
            text.Append('x', Math.Max(0, take - 2)).Append("\r\n");
            remaining -= Math.Max(take, 2);
        }

        text.Append(".\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

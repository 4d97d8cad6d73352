using System.Globalization;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// One single-line SMTP reply: the RFC 5321 §4.2 code, the RFC 3463 enhanced status code (RFC 2034) and text.
/// Expected failures travel as these values; exceptions are for I/O and bugs.
/// </summary>
internal readonly record struct SmtpReply(int Code, string Enhanced, string Text)
{
    public bool IsError => Code >= 400;

    public override string ToString() =>
        Enhanced.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Code} {Text}")
            : string.Create(CultureInfo.InvariantCulture, $"{Code} {Enhanced} {Text}");
}

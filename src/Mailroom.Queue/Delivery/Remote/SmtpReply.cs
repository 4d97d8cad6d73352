using System.Globalization;
using MailKit.Net.Smtp;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>Postfix's wording of server replies in the mail log and DSNs.</summary>
internal static class SmtpReply
{
    /// <summary>One line: <c>550 5.1.1 &lt;x@y&gt;: user unknown</c> (continuation lines joined by spaces).</summary>
    public static string Format(int code, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"{code} {text.ReplaceLineEndings(" ").Trim()}");

    public static string Format(SmtpResponse response) => Format((int)response.StatusCode, response.Response);

    /// <summary>The RFC 3463 code at the start of the reply text, or <c>class.0.0</c> from the reply code.</summary>
    public static string Dsn(int code, string text)
    {
        ReadOnlySpan<char> t = text.AsSpan().TrimStart();
        int space = t.IndexOf(' ');
        ReadOnlySpan<char> first = space < 0 ? t : t[..space];
        int classDigit = code / 100;
        if (IsEnhanced(first) && first[0] - '0' == classDigit)
        {
            return first.ToString();
        }

        return classDigit switch
        {
            2 => "2.0.0",
            4 => "4.0.0",
            _ => "5.0.0",
        };
    }

    /// <summary>4xx is temporary; anything else that is not 2xx is permanent.</summary>
    public static DeliveryStatus Status(int code) => code switch
    {
        >= 200 and < 300 => DeliveryStatus.Sent,
        >= 400 and < 500 => DeliveryStatus.Deferred,
        _ => DeliveryStatus.Bounced,
    };

    /// <summary><c>host mx.example[192.0.2.1] said: 550 5.1.1 ... (in reply to RCPT TO command)</c>.</summary>
    public static string Said(SmtpTarget target, string reply, string command) =>
        string.Create(CultureInfo.InvariantCulture, $"host {target.Host}[{target.Address}] said: {reply} (in reply to {command})");

    /// <summary>
    /// RFC 3463 §2: <c>status-code = class "." subject "." detail</c>, the class 2, 4 or 5, subject and detail one to
    /// three digits each. Anything else (an empty subject, a long detail) is not a status a DSN may carry.
    /// </summary>
    private static bool IsEnhanced(ReadOnlySpan<char> value)
    {
        if (value.Length < 5 || value[0] is not ('2' or '4' or '5') || value[1] != '.')
        {
            return false;
        }

        ReadOnlySpan<char> rest = value[2..];
        int dot = rest.IndexOf('.');
        return dot is >= 1 and <= 3 && IsDigits(rest[..dot]) && rest.Length - dot - 1 is >= 1 and <= 3 && IsDigits(rest[(dot + 1)..]);
    }

    private static bool IsDigits(ReadOnlySpan<char> value) => !value.ContainsAnyExcept("0123456789");
}

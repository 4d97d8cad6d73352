using System.Globalization;

namespace Mailroom.Policy.Milter;

/// <summary>A milter's answer to one step: its code and, for SMFIR_REPLYCODE, the SMTP reply it chose.</summary>
internal readonly record struct MilterReply(byte Code, int SmtpCode = 0, string Dsn = "", string Text = "")
{
    /// <summary>SMFIR_REPLYCODE: <c>550 5.7.1 text</c> (a multi-line reply's lines joined). Only 4xx and 5xx are accepted.</summary>
    public static MilterReply FromReplyCode(string reply)
    {
        string[] lines = reply.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0].Length < 3 || !int.TryParse(lines[0].AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int code)
            || code is < 400 or > 599)
        {
            throw new MilterProtocolException($"milter sent an invalid reply code: {Truncate(reply)}");
        }

        string dsn = "";
        var texts = new List<string>(lines.Length);
        foreach (string line in lines)
        {
            string rest = line.Length > 4 ? line[4..] : "";
            int space = rest.IndexOf(' ', StringComparison.Ordinal);
            string first = space < 0 ? rest : rest[..space];
            if (IsDsn(first, code))
            {
                dsn = first;
                rest = space < 0 ? "" : rest[(space + 1)..];
            }

            texts.Add(rest);
        }

        string text = string.Join(' ', texts).Trim();
        return new MilterReply(MilterProtocol.ReplyCode, code, dsn.Length > 0 ? dsn : code >= 500 ? "5.7.1" : "4.7.1", text.Length > 0 ? text : "Command rejected");
    }

    /// <summary>RFC 3463: <c>class.subject.detail</c>, its class agreeing with the reply code.</summary>
    private static bool IsDsn(string text, int code)
    {
        string[] parts = text.Split('.');
        return parts.Length == 3 && parts[0] == (code / 100).ToString(CultureInfo.InvariantCulture)
            && parts[1].Length is >= 1 and <= 3 && parts[2].Length is >= 1 and <= 3
            && parts[1].All(char.IsAsciiDigit) && parts[2].All(char.IsAsciiDigit);
    }

    private static string Truncate(string text) => text.Length > 80 ? text[..80] : text;
}

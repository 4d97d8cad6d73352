using System.Globalization;
using System.Text;

namespace Mailroom.Logging;

/// <summary>
/// Formats one mail-log line the way Postfix's <c>maillog_file</c> does:
/// <c>Nov  5 12:05:21 myhost mailroom/smtpd[1234]: text</c> — RFC 3164 timestamp (day padded with a space),
/// host, tag with the process id. Admins' greps and pflogsumm depend on this exact shape.
/// </summary>
internal static class SyslogLine
{
    public static void Append(StringBuilder builder, DateTimeOffset localTime, string host, string tag, int pid, string text)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        builder.Append(localTime.ToString("MMM", c))
            .Append(' ')
            .Append(localTime.Day.ToString(c).PadLeft(2))
            .Append(' ')
            .Append(localTime.ToString("HH:mm:ss", c))
            .Append(' ')
            .Append(host)
            .Append(' ')
            .Append(tag)
            .Append('[')
            .Append(pid.ToString(c))
            .Append("]: ");

        // One event is one line of printable text: client-supplied values can forge no line and drive no terminal.
        LogText.AppendSanitized(builder, text);
        builder.Append('\n');
    }

    /// <summary>Maps a logger category (<c>mailroom/smtpd</c>) to the tag under the configured syslog name.</summary>
    public static string Tag(string category, string syslogName) =>
        string.Concat(syslogName, category.AsSpan(Core.MaillogCategories.Prefix.Length - 1));
}

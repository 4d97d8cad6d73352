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
        // Formatted straight into the builder (no string per field): this runs for every mail-log line, several per message.
        builder.Append(CultureInfo.InvariantCulture, $"{localTime:MMM} {localTime.Day,2} {localTime:HH:mm:ss} {host} {tag}[{pid}]: ");

        // One event is one line of printable text: client-supplied values can forge no line and drive no terminal.
        LogText.AppendSanitized(builder, text);
        builder.Append('\n');
    }

    /// <summary>Maps a logger category (<c>mailroom/smtpd</c>) to the tag under the configured syslog name.</summary>
    public static string Tag(string category, string syslogName) =>
        string.Concat(syslogName, category.AsSpan(Core.MaillogCategories.Prefix.Length - 1));
}

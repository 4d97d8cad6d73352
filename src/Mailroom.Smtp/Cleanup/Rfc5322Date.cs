using System.Globalization;

namespace Mailroom.Smtp.Cleanup;

/// <summary>RFC 5322 §3.3 date-time, as Postfix writes it: <c>Wed, 25 Nov 2026 12:05:21 +0000 (UTC)</c>.</summary>
internal static class Rfc5322Date
{
    public static string Format(DateTimeOffset time)
    {
        TimeSpan offset = time.Offset;
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        TimeSpan abs = offset.Duration();
        string zone = string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
        string text = time.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + zone;
        return offset == TimeSpan.Zero ? text + " (UTC)" : text;
    }
}

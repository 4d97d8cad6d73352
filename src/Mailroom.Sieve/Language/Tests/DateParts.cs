using System.Globalization;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>The date parts of RFC 5260 §4.2, each formatted exactly as the RFC specifies.</summary>
internal static class DateParts
{
    private static readonly DateTime ModifiedJulianEpoch = new(1858, 11, 17, 0, 0, 0, DateTimeKind.Unspecified);

    public static bool IsKnown(string part) => part.ToLowerInvariant() is "year" or "month" or "day" or "date" or "julian" or "hour"
        or "minute" or "second" or "time" or "iso8601" or "std11" or "zone" or "weekday";

    public static string Format(string part, DateTimeOffset value)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return part.ToLowerInvariant() switch
        {
            "year" => value.Year.ToString("D4", c),
            "month" => value.Month.ToString("D2", c),
            "day" => value.Day.ToString("D2", c),
            "date" => value.ToString("yyyy-MM-dd", c),
            "julian" => ((int)Math.Floor((value.DateTime.Date - ModifiedJulianEpoch).TotalDays)).ToString(c),
            "hour" => value.Hour.ToString("D2", c),
            "minute" => value.Minute.ToString("D2", c),
            "second" => value.Second.ToString("D2", c),
            "time" => value.ToString("HH:mm:ss", c),
            "iso8601" => value.ToString("yyyy-MM-dd'T'HH:mm:ss", c) + IsoZone(value.Offset),
            "std11" => value.ToString("ddd, dd MMM yyyy HH:mm:ss ", c) + Zone(value.Offset),
            "zone" => Zone(value.Offset),
            _ => ((int)value.DayOfWeek).ToString(c),
        };
    }

    /// <summary>RFC 5260 §4.1 zone: "+hhmm" / "-hhmm".</summary>
    public static bool TryParseZone(string text, out TimeSpan offset)
    {
        offset = default;
        if (text.Length != 5 || text[0] is not ('+' or '-') || text.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        int hours = int.Parse(text.AsSpan(1, 2), CultureInfo.InvariantCulture);
        int minutes = int.Parse(text.AsSpan(3, 2), CultureInfo.InvariantCulture);
        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    private static string Zone(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + Math.Abs(offset.Hours).ToString("D2", CultureInfo.InvariantCulture) + Math.Abs(offset.Minutes).ToString("D2", CultureInfo.InvariantCulture);

    private static string IsoZone(TimeSpan offset) => offset == TimeSpan.Zero
        ? "Z"
        : (offset < TimeSpan.Zero ? "-" : "+") + Math.Abs(offset.Hours).ToString("D2", CultureInfo.InvariantCulture) + ":" + Math.Abs(offset.Minutes).ToString("D2", CultureInfo.InvariantCulture);
}

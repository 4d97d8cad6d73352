using System.Globalization;

namespace Mailroom.Directory.Admin;

/// <summary>Reads columns whose type differs by database (SQLite integers and text, MySQL tinyint, PostgreSQL boolean and timestamptz).</summary>
internal static class AdminValues
{
    public static bool ToBool(object value) => value switch
    {
        bool flag => flag,
        string text => text is "1" or "t" or "true",
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };

    /// <summary>UTC time as <c>YYYY-MM-DD HH:MM:SS</c>, however the database returned it.</summary>
    public static string ToTime(object value) => value switch
    {
        DateTime time => (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DBNull => string.Empty,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}

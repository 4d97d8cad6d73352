using System.Globalization;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Where a message comes in delivery order, read once from its base name so that sorting a large Maildir parses each
/// name once rather than at every comparison: the seconds, then the microseconds (<c>.M</c>), then the per-process
/// counter (<c>Q</c>) of qmail/Dovecot names as numbers, then the whole name. Names that do not follow the convention
/// read -1 in the fields they lack and so sort first, by name.
/// </summary>
internal readonly struct MaildirDeliveryOrder : IComparable<MaildirDeliveryOrder>
{
    private readonly long _seconds;
    private readonly long _micros;
    private readonly long _counter;
    private readonly string _name;

    private MaildirDeliveryOrder(long seconds, long micros, long counter, string name)
    {
        _seconds = seconds;
        _micros = micros;
        _counter = counter;
        _name = name;
    }

    public static MaildirDeliveryOrder Of(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        return new MaildirDeliveryOrder(Number(baseName, 0, '.'), Field(baseName, ".M"), Field(baseName, "Q"), baseName);
    }

    public int CompareTo(MaildirDeliveryOrder other)
    {
        int result = _seconds.CompareTo(other._seconds);
        if (result == 0)
        {
            result = _micros.CompareTo(other._micros);
        }

        if (result == 0)
        {
            result = _counter.CompareTo(other._counter);
        }

        return result != 0 ? result : string.CompareOrdinal(_name, other._name);
    }

    private static long Field(string name, string marker)
    {
        int at = name.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? -1 : Number(name, at + marker.Length, '\0');
    }

    // Leading decimal digits from start (at most 18, so they fit a long), ended by the terminator when one is given.
    private static long Number(string name, int start, char terminator)
    {
        int end = start;
        while (end < name.Length && char.IsAsciiDigit(name[end]) && end - start < 18)
        {
            end++;
        }

        if (end == start || (terminator != '\0' && end < name.Length && name[end] != terminator))
        {
            return -1;
        }

        return long.Parse(name.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}

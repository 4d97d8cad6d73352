using System.Security.Cryptography;

namespace Mailroom.Core;

/// <summary>
/// Queue ids look like Postfix's short ids (<c>5E4A5BA2D4</c>): upper-case hex. Ours are 12 digits: 40 bits of
/// milliseconds since 2020 (wraps after ~34 years) and an 8-bit counter that starts at a random value, so ids
/// are unique across restarts and sort roughly by arrival. The spool also refuses an id already present.
/// </summary>
public static class QueueId
{
    private static readonly long Epoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly Lock Gate = new();
    private static long _lastMillis;
    private static int _counter = RandomNumberGenerator.GetInt32(256);

    public static string Next(TimeProvider time)
    {
        long millis = time.GetUtcNow().ToUnixTimeMilliseconds() - Epoch;
        lock (Gate)
        {
            if (millis <= _lastMillis)
            {
                // Same millisecond (or the clock stepped back): advance the counter, borrowing milliseconds
                // from the future so that ids stay unique and increasing.
                _counter++;
                if (_counter > 255)
                {
                    _counter = 0;
                    _lastMillis++;
                }

                millis = _lastMillis;
            }
            else
            {
                _lastMillis = millis;
            }

            long value = ((millis & 0xFF_FFFF_FFFF) << 8) | (uint)(_counter & 0xFF);
            return value.ToString("X12", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>True for a string that could be a queue id (upper-case hex, 10 to 16 digits).</summary>
    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is < 10 or > 16)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

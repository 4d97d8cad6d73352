using System.Globalization;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>
/// What a Maildir base name says beyond its sizes: the time its name was made, which is when the message entered the
/// folder (every delivery, APPEND, COPY and MOVE makes a new name, <see cref="MaildirName"/>), and the EMAILID a copy
/// carries from its original in a <c>,E=&lt;id&gt;</c> field. Both live in the name, so they survive a lost index
/// (DESIGN.md invariant 8) and need no lookup.
/// </summary>
internal static class MaildirObjectNames
{
    private const string EmailIdMarker = ",E=";

    // Names dated before 1990 or more than a day ahead are not ours to trust (another program's naming scheme).
    private static readonly long EarliestSeconds = new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>
    /// The EMAILID of the message named <paramref name="baseName"/>: the one carried from its original, or one derived
    /// from the name itself (unique and never reused), for a message delivered or appended here.
    /// </summary>
    public static string EmailIdOf(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        int at = baseName.LastIndexOf(EmailIdMarker, StringComparison.Ordinal);
        if (at >= 0)
        {
            ReadOnlySpan<char> rest = baseName.AsSpan(at + EmailIdMarker.Length);
            int end = rest.IndexOfAnyExcept(IdChars);
            ReadOnlySpan<char> id = end < 0 ? rest : rest[..end];
            if (ObjectIds.IsValid(id))
            {
                return id.ToString();
            }
        }

        return ObjectIds.Derived('M', baseName);
    }

    /// <summary>The name of a copy: <paramref name="baseName"/> carrying <paramref name="emailId"/> along.</summary>
    public static string WithEmailId(string baseName, string emailId) => baseName + EmailIdMarker + emailId;

    /// <summary>
    /// When the name was made, from its <c>&lt;secs&gt;.M&lt;usecs&gt;</c> start (qmail, Dovecot, Mailroom); null for a
    /// name that does not start with a plausible time.
    /// </summary>
    public static DateTimeOffset? SaveTimeOf(string baseName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        ReadOnlySpan<char> name = baseName;
        int dot = name.IndexOf('.');
        if (dot is <= 0 or > 12 || name[..dot].ContainsAnyExcept(Digits)
            || !long.TryParse(name[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds < EarliestSeconds || seconds > now.ToUnixTimeSeconds() + 86_400)
        {
            return null;
        }

        DateTimeOffset time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        ReadOnlySpan<char> rest = name[(dot + 1)..];
        if (rest.Length > 1 && rest[0] == 'M')
        {
            ReadOnlySpan<char> micros = rest[1..];
            int end = micros.IndexOfAnyExcept(Digits);
            micros = end < 0 ? micros : micros[..end];
            if (micros.Length is > 0 and <= 6 && int.TryParse(micros, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                time = time.AddTicks(value * 10L);
            }
        }

        return time;
    }

    private static ReadOnlySpan<char> Digits => "0123456789";

    private static ReadOnlySpan<char> IdChars => "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
}

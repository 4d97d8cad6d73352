using System.Globalization;

namespace Mailroom.Policy.Dnsbl;

/// <summary>One configured list: <c>zone[=filter][*weight]</c> (postscreen_dnsbl_sites syntax).</summary>
/// <param name="Zone">The list's DNS zone, e.g. <c>zen.spamhaus.org</c>.</param>
/// <param name="Filter">Which A answers count; null: any.</param>
/// <param name="Weight">Added to the client's score when the list names it; negative for an allowlist.</param>
public sealed record DnsblSite(string Zone, DnsblReplyFilter? Filter, int Weight)
{
    /// <summary>Parses an entry; the error says what is wrong with it.</summary>
    public static bool TryParse(string text, out DnsblSite? site, out string? error)
    {
        site = null;
        error = null;
        string entry = text?.Trim() ?? "";
        int weight = 1;
        int star = entry.LastIndexOf('*');
        if (star >= 0)
        {
            if (!int.TryParse(entry.AsSpan(star + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out weight) || weight is < -1000 or > 1000)
            {
                error = $"'{entry}': the weight after '*' must be a whole number between -1000 and 1000";
                return false;
            }

            entry = entry[..star];
        }

        DnsblReplyFilter? filter = null;
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            if (!DnsblReplyFilter.TryParse(entry[(equals + 1)..], out filter))
            {
                error = $"'{text}': '{entry[(equals + 1)..]}' is not a reply pattern like 127.0.0.[2..11]";
                return false;
            }

            entry = entry[..equals];
        }

        string zone = entry.Trim().TrimEnd('.').ToLowerInvariant();
        if (!IsZone(zone))
        {
            error = $"'{text}': '{entry}' is not a DNS zone";
            return false;
        }

        site = new DnsblSite(zone, filter, weight);
        return true;
    }

    public override string ToString() =>
        Zone + (Filter is null ? "" : "=" + Filter.Text) + (Weight == 1 ? "" : "*" + Weight.ToString(CultureInfo.InvariantCulture));

    private static bool IsZone(string zone)
    {
        if (zone.Length is 0 or > 200)
        {
            return false;
        }

        foreach (string label in zone.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                return false;
            }
        }

        return true;
    }
}

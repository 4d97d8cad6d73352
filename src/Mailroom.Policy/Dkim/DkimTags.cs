namespace Mailroom.Policy.Dkim;

/// <summary>The tag=value lists of RFC 6376 §3.2 (signatures and key records): whitespace removed, names case-sensitive.</summary>
internal static class DkimTags
{
    public static Dictionary<string, string> Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.Split(';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string name = part[..eq].Trim();
            string value = string.Concat(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(name, value);
        }

        return tags;
    }
}

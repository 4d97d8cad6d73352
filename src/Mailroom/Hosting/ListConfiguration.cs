using Microsoft.Extensions.Configuration;

namespace Mailroom.Hosting;

/// <summary>
/// Configuration binding appends configured items to a list's built-in defaults; for lists such as
/// <c>Smtp:TrustedNetworks</c> a configured value must replace the defaults instead. An empty value
/// (<c>--set Smtp:TrustedNetworks=</c> or <c>"TrustedNetworks": []</c>) yields an empty list.
/// </summary>
internal static class ListConfiguration
{
    public static void Replace(IList<string> target, IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return;
        }

        target.Clear();
        IConfigurationSection[] children = section.GetChildren().ToArray();
        if (children.Length == 0)
        {
            foreach (string item in (section.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                target.Add(item);
            }

            return;
        }

        foreach (IConfigurationSection child in children)
        {
            if (!string.IsNullOrWhiteSpace(child.Value))
            {
                target.Add(child.Value.Trim());
            }
        }
    }
}

using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Mailroom.Configuration;

/// <summary>One line of <c>mailroom config show</c>: a key, the value in force and where it came from.</summary>
internal sealed record EffectiveSetting(string Key, string Value, string Source);

/// <summary>
/// The configuration in force, key by key: each value read from the bound options (so computed defaults such as
/// <c>Queue:MinFreeSpace</c> show as they apply), its source the last layer that set it (<c>default</c>, the data
/// directory, the file, <c>MAILROOM__…</c>, <c>--set</c>). Secrets show as <c>(hidden)</c>.
/// </summary>
internal static class EffectiveConfiguration
{
    public static IReadOnlyList<EffectiveSetting> Describe(IConfigurationRoot configuration, Func<Type, object> boundOptions)
    {
        var settings = new List<EffectiveSetting>();
        // A section may be bound to more than one options type (Delivery: remote routes and local delivery).
        var instances = ConfigurationSections.All.Select(s => (s.Section, Instance: boundOptions(s.Options))).ToList();
        foreach (KeyShape shape in ConfigurationKeys.Shapes)
        {
            object? value = Resolve(instances, shape.Key);
            string text = IsSecret(shape.Key) ? (IsEmpty(value) ? "" : "(hidden)") : Format(value);
            settings.Add(new EffectiveSetting(shape.Key, text, Source(configuration, shape)));
        }

        return settings;
    }

    private static object? Resolve(List<(string Section, object Instance)> instances, string key)
    {
        string[] parts = key.Split(':');
        object? current = instances
            .Where(i => string.Equals(i.Section, parts[0], StringComparison.Ordinal))
            .Select(i => i.Instance)
            .FirstOrDefault(i => parts.Length < 2 || i.GetType().GetProperty(parts[1]) is not null);
        for (int i = 1; i < parts.Length && current is not null; i++)
        {
            current = current.GetType().GetProperty(parts[i])?.GetValue(current);
        }

        return current;
    }

    private static string Source(IConfigurationRoot configuration, KeyShape shape)
    {
        IConfigurationProvider[] providers = [.. configuration.Providers];
        for (int i = providers.Length - 1; i >= 0; i--)
        {
            IConfigurationProvider provider = providers[i];
            bool sets = provider.TryGet(shape.Key, out _) || (shape.Kind != KeyKind.Scalar && provider.GetChildKeys([], shape.Key).Any());
            if (sets)
            {
                return provider switch
                {
                    JsonConfigurationProvider json => $"file {json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "").PhysicalPath ?? json.Source.Path}",
                    EnvironmentVariablesConfigurationProvider => "environment " + MailroomConfiguration.EnvironmentPrefix + shape.Key.Replace(":", "__", StringComparison.Ordinal),
                    MemoryConfigurationProvider when i == 0 => "data directory",
                    _ => "--set",
                };
            }
        }

        return "default";
    }

    private static bool IsSecret(string key) =>
        key.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || key.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase);

    private static bool IsEmpty(object? value) => value is null || (value is string s && s.Length == 0);

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IDictionary map => string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}={map[k]}")),
        IEnumerable list => string.Join(", ", list.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Configuration;

/// <summary>
/// The keys the options types define, walked from <see cref="ConfigurationSections"/> by reflection: a leaf per
/// settable value, any index under a list, any name under a map (<c>Delivery:Transports:example.net</c>). A key in the
/// configuration that is none of these is a mistake the binder would ignore in silence, so it is an error that names
/// the nearest known key (<c>Smtp:Prot</c>: did you mean <c>Smtp:Port</c>?).
/// </summary>
internal static class ConfigurationKeys
{
    private static readonly Lazy<IReadOnlyList<KeyShape>> s_shapes = new(() =>
        [.. ConfigurationSections.All.SelectMany(s => Walk(s.Section, s.Options))]);

    /// <summary>Every leaf key (lists and maps as their own key), for <c>config show</c> and the suggestions.</summary>
    public static IReadOnlyList<KeyShape> Shapes => s_shapes.Value;

    /// <exception cref="ConfigurationException">A key is unknown; the message names it and the nearest known key.</exception>
    public static void Validate(IConfiguration configuration)
    {
        foreach (KeyValuePair<string, string?> pair in configuration.AsEnumerable())
        {
            if (pair.Value is null && HasChildren(configuration, pair.Key))
            {
                continue;
            }

            if (!IsKnown(pair.Key))
            {
                string? nearest = Nearest(pair.Key);
                throw new ConfigurationException(nearest is null
                    ? $"{pair.Key}: unknown key (mailroom config show lists them all)"
                    : $"{pair.Key}: unknown key; did you mean {nearest}?");
            }
        }
    }

    public static bool IsKnown(string key) => IsKnown(Shapes, key);

    private static bool IsKnown(IEnumerable<KeyShape> shapes, string key)
    {
        foreach (KeyShape shape in shapes)
        {
            if (string.Equals(key, shape.Key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (shape.Kind != KeyKind.Scalar && key.StartsWith(shape.Key + ":", StringComparison.OrdinalIgnoreCase))
            {
                string rest = key[(shape.Key.Length + 1)..];
                return shape.Kind == KeyKind.Map
                    ? !rest.Contains(':', StringComparison.Ordinal)
                    : IsKnownListEntry(shape, rest);
            }
        }

        return false;
    }

    /// <summary>
    /// <c>N</c> under a list; for a list of settings objects (<c>Smtp:Milters:0:Address</c>) also <c>N:Property</c>
    /// where the property is one of the element type's own keys.
    /// </summary>
    private static bool IsKnownListEntry(KeyShape list, string rest)
    {
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (!int.TryParse(colon < 0 ? rest : rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        if (colon < 0)
        {
            return true;
        }

        Type? element = ElementType(list.Property.PropertyType);
        return element is not null && IsSettingsClass(element) && IsKnown(Walk("entry", element), "entry:" + rest[(colon + 1)..]);
    }

    private static Type? ElementType(Type listType) =>
        listType.IsArray ? listType.GetElementType()
        : listType.GetInterfaces().Append(listType)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static bool IsSettingsClass(Type t) => t.IsClass && t.Namespace?.StartsWith("Mailroom", StringComparison.Ordinal) == true;

    /// <summary>The known key closest in spelling (case ignored), when it is close enough to be the one meant.</summary>
    public static string? Nearest(string key)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (KeyShape shape in Shapes)
        {
            int distance = Distance(key.ToUpperInvariant(), shape.Key.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (shape.Key, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    private static bool HasChildren(IConfiguration configuration, string key) => configuration.GetSection(key).GetChildren().Any();

    private static IEnumerable<KeyShape> Walk(string prefix, Type type)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            string key = $"{prefix}:{property.Name}";
            Type t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(t))
            {
                if (property.SetMethod is not null)
                {
                    yield return new KeyShape(key, KeyKind.Scalar, property);
                }
            }
            else if (typeof(IDictionary).IsAssignableFrom(t) || (t.IsGenericType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))))
            {
                yield return new KeyShape(key, KeyKind.Map, property);
            }
            else if (typeof(IEnumerable).IsAssignableFrom(t))
            {
                yield return new KeyShape(key, KeyKind.List, property);
            }
            else if (IsSettingsClass(t))
            {
                foreach (KeyShape nested in Walk(key, t))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t == typeof(DateTime);

    private static int Distance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

internal enum KeyKind
{
    Scalar,
    List,
    Map,
}

/// <summary>One known key: a value, a list (indexes below it) or a map (names below it).</summary>
internal sealed record KeyShape(string Key, KeyKind Kind, PropertyInfo Property);

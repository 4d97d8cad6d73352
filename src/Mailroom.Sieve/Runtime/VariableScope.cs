using System.Text;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// One variable namespace (a script's own, or the global one of RFC 6609 §3.4): case-insensitive names (RFC 5229 §3),
/// at most <see cref="MaxVariables"/> of them, each value at most <see cref="MaxValueBytes"/> octets of UTF-8 (longer
/// values are cut at a character boundary, as Pigeonhole cuts them).
/// </summary>
internal sealed class VariableScope
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public VariableScope(int maxVariables, int maxValueBytes)
    {
        MaxVariables = maxVariables;
        MaxValueBytes = maxValueBytes;
    }

    public int MaxVariables { get; }

    public int MaxValueBytes { get; }

    public string Get(string name) => _values.TryGetValue(name, out string? value) ? value : "";

    /// <summary>Sets a variable; false when it is new and the scope is full (the caller fails the script).</summary>
    public bool TrySet(string name, string value)
    {
        if (!_values.ContainsKey(name) && _values.Count >= MaxVariables)
        {
            return false;
        }

        _values[name] = Truncate(value, MaxValueBytes);
        return true;
    }

    /// <summary>Cuts <paramref name="value"/> to at most <paramref name="maxBytes"/> bytes of UTF-8 without splitting a character.</summary>
    public static string Truncate(string value, int maxBytes)
    {
        if (value.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        int bytes = 0;
        int i = 0;
        while (i < value.Length)
        {
            int width = char.IsSurrogatePair(value, i) ? 2 : 1;
            int size = Encoding.UTF8.GetByteCount(value.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += width;
        }

        return value[..i];
    }
}

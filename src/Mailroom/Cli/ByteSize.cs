using System.Globalization;

namespace Mailroom.Cli;

/// <summary>Sizes as admins type them: <c>500000</c> (bytes), <c>100K</c>, <c>100M</c>, <c>2G</c> (1024-based, as postfixadmin's MB).</summary>
internal static class ByteSize
{
    public static long Parse(string text, string optionName)
    {
        string value = text.Trim();
        long multiplier = 1;
        if (value.Length > 0 && char.ToUpperInvariant(value[^1]) is 'K' or 'M' or 'G' or 'T')
        {
            multiplier = char.ToUpperInvariant(value[^1]) switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                _ => 1L << 40,
            };
            value = value[..^1];
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / multiplier)
        {
            throw new CliException($"{optionName}: '{text}' is not a size (bytes, or a number with K, M, G or T, e.g. 100M)");
        }

        return number * multiplier;
    }
}

namespace Mailroom.Sieve;

/// <summary>
/// Script names (RFC 5804 §1.6): UTF-8 without control characters (nor U+2028/U+2029), at most 256 characters here,
/// and, since a name becomes a file name, no <c>/</c> and not <c>.</c> or <c>..</c> nor starting with a dot.
/// </summary>
public static class ScriptNames
{
    public const int MaxLength = 256;

    public static bool IsValid(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] == '.')
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c < 0x20 || c is (>= '\u007f' and <= '\u009f') or '\u2028' or '\u2029' or '/' or '\\')
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsSurrogatePair(name, i))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}

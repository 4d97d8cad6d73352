namespace Mailroom.Directory.Passwords;

/// <summary>
/// The crypt(3) base-64 alphabet (<c>./0-9A-Za-z</c>) and the little-endian 24-bit group encoding that
/// MD5-crypt and SHA-crypt use for their output.
/// </summary>
internal static class CryptBase64
{
    public const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Appends <paramref name="count"/> characters of the 24-bit value b2:b1:b0, low 6 bits first.</summary>
    public static void AppendGroup(System.Text.StringBuilder output, byte b2, byte b1, byte b0, int count)
    {
        int w = (b2 << 16) | (b1 << 8) | b0;
        for (int i = 0; i < count; i++)
        {
            output.Append(Alphabet[w & 0x3f]);
            w >>= 6;
        }
    }

    /// <summary>The 6-bit value of an alphabet character, or -1 when it is not one.</summary>
    public static int ValueOf(char c) => Alphabet.IndexOf(c, StringComparison.Ordinal);
}

using System.Text;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// Traditional crypt(3) (13 characters: 2 salt + 11 hash), verification only. The classic Unix V7 algorithm:
/// the first 8 password characters' 7-bit codes form a DES key, a zero block is DES-encrypted 25 times, and
/// the 12-bit salt swaps bit pairs of the E expansion (bit i with bit i+24) so the result is not plain DES.
/// .NET's DES class cannot apply that perturbation, hence this bit-level implementation (FIPS 46-3 tables).
/// </summary>
internal static class DesCrypt
{
    private const string SaltAlphabet = CryptBase64.Alphabet;

    /// <summary>Computes the 13-character crypt string for the salt in <paramref name="setting"/>, or null when malformed.</summary>
    public static string? Crypt(ReadOnlySpan<byte> password, string setting)
    {
        if (setting.Length < 2)
        {
            return null;
        }

        int salt0 = CryptBase64.ValueOf(setting[0]);
        int salt1 = CryptBase64.ValueOf(setting[1]);
        if (salt0 < 0 || salt1 < 0)
        {
            return null;
        }

        byte[] expansion = (byte[])DesTables.Expansion.Clone();
        int saltBits = salt0 | (salt1 << 6);
        for (int i = 0; i < 12; i++)
        {
            if (((saltBits >> i) & 1) != 0)
            {
                (expansion[i], expansion[i + 24]) = (expansion[i + 24], expansion[i]);
            }
        }

        // Key bits: each of the first 8 characters contributes its 7 low bits, most significant first; the
        // eighth bit of every key byte is the unused parity bit.
        byte[] key = new byte[64];
        for (int i = 0; i < 8 && i < password.Length; i++)
        {
            int c = password[i];
            for (int j = 0; j < 7; j++)
            {
                key[(i * 8) + j] = (byte)((c >> (6 - j)) & 1);
            }
        }

        byte[][] schedule = DesTables.KeySchedule(key);
        byte[] block = new byte[64];
        for (int i = 0; i < 25; i++)
        {
            block = DesTables.Encrypt(block, schedule, expansion);
        }

        var output = new StringBuilder(13);
        output.Append(SaltAlphabet[salt0]).Append(SaltAlphabet[salt1]);
        for (int i = 0; i < 11; i++)
        {
            int c = 0;
            for (int j = 0; j < 6; j++)
            {
                int bit = (6 * i) + j;
                c = (c << 1) | (bit < 64 ? block[bit] : 0);
            }

            output.Append(SaltAlphabet[c]);
        }

        return output.ToString();
    }

    /// <summary>True when the string has the shape of a traditional DES crypt result.</summary>
    public static bool LooksLikeDes(string hash)
    {
        if (hash.Length != 13)
        {
            return false;
        }

        foreach (char c in hash)
        {
            if (CryptBase64.ValueOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Exposed for tests: encrypts one 64-bit block with a 64-bit key (parity bits ignored), no salt.</summary>
    internal static ulong EncryptBlock(ulong key, ulong plain)
    {
        byte[] keyBits = ToBits(key);
        byte[] block = DesTables.Encrypt(ToBits(plain), DesTables.KeySchedule(keyBits), DesTables.Expansion);
        ulong result = 0;
        foreach (byte bit in block)
        {
            result = (result << 1) | bit;
        }

        return result;
    }

    private static byte[] ToBits(ulong value)
    {
        byte[] bits = new byte[64];
        for (int i = 0; i < 64; i++)
        {
            bits[i] = (byte)((value >> (63 - i)) & 1);
        }

        return bits;
    }
}

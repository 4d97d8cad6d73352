using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// SHA256-crypt (<c>$5$</c>) and SHA512-crypt (<c>$6$</c>), written from Ulrich Drepper's specification
/// "Unix crypt using SHA-256 and SHA-512" (akkadia.org/drepper/SHA-crypt.txt). The numbered comments are
/// the steps of that document.
/// </summary>
internal static class ShaCrypt
{
    private const string RoundsPrefix = "rounds=";
    private const int DefaultRounds = 5000;
    private const int MinRounds = 1000;
    private const int MaxRounds = 999_999_999;
    private const int MaxSaltLength = 16;

    /// <summary>
    /// The rounds the setting asks for (<c>$5$rounds=N$...</c>), clamped to the specification's range as
    /// <see cref="Crypt"/> will use them; the default 5000 when it names none; -1 when the rounds field is malformed.
    /// </summary>
    public static long RequestedRounds(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.Length < 3)
        {
            return -1;
        }

        ReadOnlySpan<char> rest = setting.AsSpan(3);
        if (!rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            return DefaultRounds;
        }

        int end = rest.IndexOf('$');
        return end < 0 || !long.TryParse(rest[RoundsPrefix.Length..end], NumberStyles.None, CultureInfo.InvariantCulture, out long requested)
            ? -1
            : Math.Clamp(requested, MinRounds, MaxRounds);
    }

    /// <summary>Computes the full crypt string for the setting (<c>$5$[rounds=N$]salt[$...]</c>), or null when malformed.</summary>
    public static string? Crypt(ReadOnlySpan<byte> password, string setting, bool sha512)
    {
        string magic = sha512 ? "$6$" : "$5$";
        if (!setting.StartsWith(magic, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = setting[magic.Length..];
        int rounds = DefaultRounds;
        bool customRounds = false;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            int end = rest.IndexOf('$', StringComparison.Ordinal);
            if (end < 0 || !long.TryParse(rest.AsSpan(RoundsPrefix.Length, end - RoundsPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long requested))
            {
                return null;
            }

            // The specification clamps an out-of-range count rather than rejecting it.
            rounds = (int)Math.Clamp(requested, MinRounds, MaxRounds);
            customRounds = true;
            rest = rest[(end + 1)..];
        }

        int saltEnd = rest.IndexOf('$', StringComparison.Ordinal);
        string saltText = saltEnd < 0 ? rest : rest[..saltEnd];
        if (saltText.Length > MaxSaltLength)
        {
            saltText = saltText[..MaxSaltLength];
        }

        byte[] salt = Encoding.UTF8.GetBytes(saltText);
        byte[] digest = Compute(password, salt, rounds, sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

        var output = new StringBuilder(magic.Length + 20 + saltText.Length + 87);
        output.Append(magic);
        if (customRounds)
        {
            output.Append(RoundsPrefix).Append(rounds.ToString(CultureInfo.InvariantCulture)).Append('$');
        }

        output.Append(saltText).Append('$');
        if (sha512)
        {
            // Each group takes bytes i, i+21, i+42 (mod 63) walking by 22; the last byte goes alone.
            for (int i = 0, a = 0; i < 21; i++, a = (a + 22) % 63)
            {
                int b = (a + 21) % 63;
                int c = (b + 21) % 63;
                CryptBase64.AppendGroup(output, digest[a], digest[b], digest[c], 4);
            }

            CryptBase64.AppendGroup(output, 0, 0, digest[63], 2);
        }
        else
        {
            for (int i = 0, a = 0; i < 10; i++, a = (a + 21) % 30)
            {
                int b = (a + 10) % 30;
                int c = (b + 10) % 30;
                CryptBase64.AppendGroup(output, digest[a], digest[b], digest[c], 4);
            }

            CryptBase64.AppendGroup(output, 0, digest[31], digest[30], 3);
        }

        return output.ToString();
    }

    private static byte[] Compute(ReadOnlySpan<byte> password, byte[] salt, int rounds, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        int size = hash.HashLengthInBytes;

        // Steps 4-8: digest B = H(password, salt, password).
        hash.AppendData(password);
        hash.AppendData(salt);
        hash.AppendData(password);
        byte[] b = hash.GetHashAndReset();

        // Steps 1-3, 9-12: digest A.
        hash.AppendData(password);
        hash.AppendData(salt);
        int remaining = password.Length;
        for (; remaining > size; remaining -= size)
        {
            hash.AppendData(b);
        }

        hash.AppendData(b, 0, remaining);
        for (int bits = password.Length; bits > 0; bits >>= 1)
        {
            if ((bits & 1) != 0)
            {
                hash.AppendData(b);
            }
            else
            {
                hash.AppendData(password);
            }
        }

        byte[] a = hash.GetHashAndReset();

        // Steps 13-16: byte sequence P, from digest DP of the password repeated once per byte.
        for (int i = 0; i < password.Length; i++)
        {
            hash.AppendData(password);
        }

        byte[] p = Repeat(hash.GetHashAndReset(), password.Length);

        // Steps 17-20: byte sequence S, from digest DS of the salt repeated 16 + A[0] times.
        for (int i = 0; i < 16 + a[0]; i++)
        {
            hash.AppendData(salt);
        }

        byte[] s = Repeat(hash.GetHashAndReset(), salt.Length);

        // Step 21: the rounds. The input of each round is assembled in one buffer to avoid allocations.
        byte[] c = a;
        byte[] buffer = new byte[size + s.Length + (2 * p.Length) + size];
        for (int round = 0; round < rounds; round++)
        {
            int length = 0;
            bool odd = (round & 1) != 0;
            length = Append(buffer, length, odd ? p : c);
            if (round % 3 != 0)
            {
                length = Append(buffer, length, s);
            }

            if (round % 7 != 0)
            {
                length = Append(buffer, length, p);
            }

            length = Append(buffer, length, odd ? c : p);
            hash.AppendData(buffer, 0, length);
            c = hash.GetHashAndReset();
        }

        return c;
    }

    private static byte[] Repeat(byte[] digest, int length)
    {
        byte[] result = new byte[length];
        for (int i = 0; i < length; i += digest.Length)
        {
            digest.AsSpan(0, Math.Min(digest.Length, length - i)).CopyTo(result.AsSpan(i));
        }

        return result;
    }

    private static int Append(byte[] buffer, int offset, byte[] data)
    {
        data.CopyTo(buffer, offset);
        return offset + data.Length;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Konscious.Security.Cryptography;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// Argon2i / Argon2id hashes in the PHC string format Dovecot and libargon2 write:
/// <c>$argon2id$v=19$m=65536,t=3,p=1$base64salt$base64hash</c> (base-64 without padding).
/// </summary>
internal static class Argon2Phc
{
    private const int SupportedVersion = 19;

    /// <summary>
    /// Verifies; false for a wrong password, a malformed hash or a different variant, and for parameters over
    /// <paramref name="limits"/> (then <paramref name="exceeded"/> says which; nothing is computed): a stored hash is
    /// data, and one row must not exhaust memory or CPU.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hash, bool argon2id, PasswordLimitsOptions limits, out HashCostExceeded? exceeded)
    {
        ArgumentNullException.ThrowIfNull(limits);
        exceeded = null;
        string variant = argon2id ? "argon2id" : "argon2i";
        string[] parts = hash.Split('$');

        // "", variant, "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != variant || parts[2] != "v=" + SupportedVersion.ToString(CultureInfo.InvariantCulture))
        {
            return false;
        }

        if (!TryParseParameters(parts[3], out int memory, out int iterations, out int parallelism))
        {
            return false;
        }

        exceeded = memory > limits.MaxArgon2MemoryKib ? new HashCostExceeded("m", memory, nameof(limits.MaxArgon2MemoryKib), limits.MaxArgon2MemoryKib)
            : iterations > limits.MaxArgon2Iterations ? new HashCostExceeded("t", iterations, nameof(limits.MaxArgon2Iterations), limits.MaxArgon2Iterations)
            : parallelism > limits.MaxArgon2Parallelism ? new HashCostExceeded("p", parallelism, nameof(limits.MaxArgon2Parallelism), limits.MaxArgon2Parallelism)
            : null;
        if (exceeded is not null)
        {
            return false;
        }

        byte[]? salt = DecodeBase64(parts[4]);
        byte[]? expected = DecodeBase64(parts[5]);
        if (salt is null || expected is null || salt.Length < 8 || expected.Length < 4)
        {
            return false;
        }

        byte[] passwordBytes = password.ToArray();
        try
        {
            Argon2 argon = argon2id ? new Argon2id(passwordBytes) : new Argon2i(passwordBytes);
            using (argon)
            {
                argon.Salt = salt;
                argon.MemorySize = memory;
                argon.Iterations = iterations;
                argon.DegreeOfParallelism = parallelism;
                byte[] actual = argon.GetBytes(expected.Length);
                return CryptographicOperations.FixedTimeEquals(actual, expected);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private static bool TryParseParameters(string text, out int memory, out int iterations, out int parallelism)
    {
        memory = iterations = parallelism = 0;
        foreach (string pair in text.Split(','))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !int.TryParse(pair.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return false;
            }

            switch (pair[..equals])
            {
                case "m":
                    memory = value;
                    break;
                case "t":
                    iterations = value;
                    break;
                case "p":
                    parallelism = value;
                    break;
                default:
                    return false;
            }
        }

        // RFC 9106 §3.1: at least one lane and one pass, and 8 KiB of memory per lane. The upper bounds are the caller's.
        return parallelism >= 1 && iterations >= 1 && memory >= 8L * parallelism;
    }

    private static byte[]? DecodeBase64(string text)
    {
        int padding = (4 - (text.Length % 4)) % 4;
        if (padding == 3)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text + new string('=', padding));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// MD5-crypt (<c>$1$salt$hash</c>), Poul-Henning Kamp's FreeBSD algorithm, as glibc and Dovecot's MD5-CRYPT
/// implement it: an MD5 of password, magic and salt, then 1000 rounds mixing password, salt and digest.
/// </summary>
internal static class Md5Crypt
{
    private const string Magic = "$1$";

    /// <summary>Computes the full crypt string for the salt found in <paramref name="setting"/>, or null when malformed.</summary>
    public static string? Crypt(ReadOnlySpan<byte> password, string setting)
    {
        if (!setting.StartsWith(Magic, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = setting[Magic.Length..];
        int end = rest.IndexOf('$', StringComparison.Ordinal);
        string saltText = end < 0 ? rest : rest[..end];
        if (saltText.Length > 8)
        {
            saltText = saltText[..8];
        }

        byte[] salt = Encoding.ASCII.GetBytes(saltText);
        byte[] magic = Encoding.ASCII.GetBytes(Magic);

        using var alternate = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        alternate.AppendData(password);
        alternate.AppendData(salt);
        alternate.AppendData(password);
        byte[] alt = alternate.GetHashAndReset();

        using var context = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        context.AppendData(password);
        context.AppendData(magic);
        context.AppendData(salt);
        for (int remaining = password.Length; remaining > 0; remaining -= 16)
        {
            context.AppendData(alt, 0, Math.Min(16, remaining));
        }

        // The original C code appends either a NUL byte or the first password byte for every bit of the
        // length; for an empty password pw[0] is the terminating NUL, so both branches append 0.
        byte first = password.IsEmpty ? (byte)0 : password[0];
        for (int i = password.Length; i != 0; i >>= 1)
        {
            context.AppendData((i & 1) != 0 ? [0] : [first]);
        }

        byte[] final = context.GetHashAndReset();
        for (int i = 0; i < 1000; i++)
        {
            if ((i & 1) != 0)
            {
                context.AppendData(password);
            }
            else
            {
                context.AppendData(final);
            }

            if (i % 3 != 0)
            {
                context.AppendData(salt);
            }

            if (i % 7 != 0)
            {
                context.AppendData(password);
            }

            if ((i & 1) != 0)
            {
                context.AppendData(final);
            }
            else
            {
                context.AppendData(password);
            }

            final = context.GetHashAndReset();
        }

        var output = new StringBuilder(Magic.Length + saltText.Length + 23);
        output.Append(Magic).Append(saltText).Append('$');
        CryptBase64.AppendGroup(output, final[0], final[6], final[12], 4);
        CryptBase64.AppendGroup(output, final[1], final[7], final[13], 4);
        CryptBase64.AppendGroup(output, final[2], final[8], final[14], 4);
        CryptBase64.AppendGroup(output, final[3], final[9], final[15], 4);
        CryptBase64.AppendGroup(output, final[4], final[10], final[5], 4);
        CryptBase64.AppendGroup(output, 0, 0, final[11], 2);
        return output.ToString();
    }
}

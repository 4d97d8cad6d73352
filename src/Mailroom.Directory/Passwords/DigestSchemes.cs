using System.Security.Cryptography;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// Dovecot's plain and salted digest schemes (doc: "Password Schemes"): <c>SHA</c>, <c>SHA256</c>, <c>SHA512</c>,
/// <c>PLAIN-MD5</c>, <c>LDAP-MD5</c> store the digest; <c>SSHA</c>, <c>SSHA256</c>, <c>SSHA512</c>, <c>SMD5</c> store
/// digest(password ‖ salt) followed by the salt. The value is base64, or hex when its length is exactly a hex
/// digest's (as Dovecot decides), or as forced by a <c>.HEX</c>/<c>.B64</c> suffix on the scheme name.
/// </summary>
internal static class DigestSchemes
{
    /// <summary>True when <paramref name="scheme"/> (upper-case, encoding suffix removed) is one of these.</summary>
    public static bool IsKnown(string scheme) => Algorithm(scheme) is not null;

    /// <summary>Verifies; false (never an exception) for a value that does not decode or is too short.</summary>
    public static bool Verify(string scheme, Encoding encoding, byte[] password, string data)
    {
        (HashAlgorithmName name, bool salted) = Algorithm(scheme) ?? throw new ArgumentException($"not a digest scheme: {scheme}", nameof(scheme));
        int digestLength = DigestLength(name);
        byte[]? stored = Decode(data.Trim(), encoding, digestLength, salted);
        if (stored is null || stored.Length < digestLength || (!salted && stored.Length != digestLength))
        {
            return false;
        }

        byte[] input = new byte[password.Length + stored.Length - digestLength];
        password.CopyTo(input, 0);
        stored.AsSpan(digestLength).CopyTo(input.AsSpan(password.Length));
        try
        {
            byte[] computed = Hash(name, input);
            return CryptographicOperations.FixedTimeEquals(computed, stored.AsSpan(0, digestLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    private static (HashAlgorithmName Name, bool Salted)? Algorithm(string scheme) => scheme switch
    {
        "SHA" or "SHA1" => (HashAlgorithmName.SHA1, false),
        "SSHA" => (HashAlgorithmName.SHA1, true),
        "SHA256" => (HashAlgorithmName.SHA256, false),
        "SSHA256" => (HashAlgorithmName.SHA256, true),
        "SHA512" => (HashAlgorithmName.SHA512, false),
        "SSHA512" => (HashAlgorithmName.SHA512, true),
        "PLAIN-MD5" or "LDAP-MD5" => (HashAlgorithmName.MD5, false),
        "SMD5" => (HashAlgorithmName.MD5, true),
        _ => null,
    };

    private static int DigestLength(HashAlgorithmName name) =>
        name == HashAlgorithmName.SHA1 ? SHA1.HashSizeInBytes
        : name == HashAlgorithmName.SHA256 ? SHA256.HashSizeInBytes
        : name == HashAlgorithmName.SHA512 ? SHA512.HashSizeInBytes
        : MD5.HashSizeInBytes;

#pragma warning disable CA5350, CA5351 // Verifying stored legacy hashes as Dovecot does; Mailroom never writes them.
    private static byte[] Hash(HashAlgorithmName name, byte[] input) =>
        name == HashAlgorithmName.SHA1 ? SHA1.HashData(input)
        : name == HashAlgorithmName.SHA256 ? SHA256.HashData(input)
        : name == HashAlgorithmName.SHA512 ? SHA512.HashData(input)
        : MD5.HashData(input);
#pragma warning restore CA5350, CA5351

    private static byte[]? Decode(string data, Encoding encoding, int digestLength, bool salted)
    {
        bool hex = encoding switch
        {
            Encoding.Hex => true,
            Encoding.Base64 => false,
            // Dovecot writes salted digests in base64 unless told .HEX; a plain digest is hex exactly when it has
            // a hex digest's length (PLAIN-MD5's default encoding), base64 otherwise.
            _ => !salted && data.Length == digestLength * 2 && data.All(char.IsAsciiHexDigit),
        };
        try
        {
            return hex ? Convert.FromHexString(data) : Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>How the digest is written.</summary>
    public enum Encoding
    {
        Auto,
        Hex,
        Base64,
    }
}

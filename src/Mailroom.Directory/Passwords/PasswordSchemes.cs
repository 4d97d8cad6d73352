using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// Verifies stored passwords in Dovecot's notation (<c>{SCHEME}data</c>, bare crypt(3) strings, and
/// postfixadmin's <c>dovecot:{SCHEME}data</c>) and hashes new ones as <c>{BLF-CRYPT}$2y$NN$...</c>, which
/// Dovecot, postfixadmin and PHP's password_verify all read.
/// Supported: PLAIN/CLEARTEXT, CRYPT (DES, and any crypt string below), MD5-CRYPT, SHA256-CRYPT, SHA512-CRYPT,
/// BLF-CRYPT, ARGON2I, ARGON2ID, and the digests SHA, SSHA, SHA256, SSHA256, SHA512, SSHA512, PLAIN-MD5, LDAP-MD5,
/// SMD5 (with Dovecot's <c>.HEX</c>/<c>.B64</c> suffixes). An unknown or malformed hash fails verification and is logged; it never throws.
/// </summary>
public sealed class PasswordSchemes
{
    private const string PostfixadminPrefix = "dovecot:";

    private readonly ILogger<PasswordSchemes> _logger;
    private readonly int _bcryptCost;

    public PasswordSchemes(IOptions<DirectoryOptions> options, ILogger<PasswordSchemes> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _bcryptCost = options.Value.BcryptCost;
    }

    /// <summary>The scheme new passwords are stored with.</summary>
    public static string DefaultScheme => "BLF-CRYPT";

    /// <summary>Hashes a new password: <c>{BLF-CRYPT}$2y$&lt;cost&gt;$...</c>.</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);

        // $2y$ is what Dovecot and PHP write; the algorithm is identical to $2b$.
        string salt = BCrypt.Net.BCrypt.GenerateSalt(_bcryptCost, 'y');
        return "{" + DefaultScheme + "}" + BCrypt.Net.BCrypt.HashPassword(password, salt);
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="storedHash"/>. Never throws.</summary>
    public bool Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(storedHash);
        (string fullScheme, string data) = Split(storedHash);
        (string scheme, DigestSchemes.Encoding encoding) = SplitEncoding(fullScheme);
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return scheme switch
            {
                "PLAIN" or "CLEARTEXT" => FixedTimeEquals(password, data),
                "CRYPT" => VerifyCryptString(password, passwordBytes, data, scheme),
                "MD5-CRYPT" or "MD5" => RequirePrefix(data, "$1$", scheme) && VerifyCryptString(password, passwordBytes, data, scheme),
                "SHA256-CRYPT" => RequirePrefix(data, "$5$", scheme) && VerifyCryptString(password, passwordBytes, data, scheme),
                "SHA512-CRYPT" => RequirePrefix(data, "$6$", scheme) && VerifyCryptString(password, passwordBytes, data, scheme),
                "BLF-CRYPT" => RequirePrefix(data, "$2", scheme) && VerifyCryptString(password, passwordBytes, data, scheme),
                "ARGON2I" => RequirePrefix(data, "$argon2i$", scheme) && Argon2Phc.Verify(passwordBytes, data, argon2id: false),
                "ARGON2ID" => RequirePrefix(data, "$argon2id$", scheme) && Argon2Phc.Verify(passwordBytes, data, argon2id: true),
                _ when DigestSchemes.IsKnown(scheme) => DigestSchemes.Verify(scheme, encoding, passwordBytes, data),
                _ => Unknown(scheme),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or BCrypt.Net.SaltParseException or OverflowException)
        {
            _logger.PasswordVerificationError(ex, scheme);
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>Splits a stored value into its upper-case scheme name and the scheme's data.</summary>
    internal static (string Scheme, string Data) Split(string stored)
    {
        string value = stored.StartsWith(PostfixadminPrefix, StringComparison.OrdinalIgnoreCase) ? stored[PostfixadminPrefix.Length..] : stored;
        if (value.StartsWith('{'))
        {
            int close = value.IndexOf('}', StringComparison.Ordinal);
            if (close > 1)
            {
                return (value[1..close].ToUpperInvariant(), value[(close + 1)..]);
            }
        }

        // Dovecot's default for a value without a scheme prefix is CRYPT: the crypt(3) string decides.
        return ("CRYPT", value);
    }

    private bool VerifyCryptString(string password, byte[] passwordBytes, string data, string scheme)
    {
        string? computed;
        if (data.StartsWith("$1$", StringComparison.Ordinal))
        {
            computed = Md5Crypt.Crypt(passwordBytes, data);
        }
        else if (data.StartsWith("$5$", StringComparison.Ordinal))
        {
            computed = ShaCrypt.Crypt(passwordBytes, data, sha512: false);
        }
        else if (data.StartsWith("$6$", StringComparison.Ordinal))
        {
            computed = ShaCrypt.Crypt(passwordBytes, data, sha512: true);
        }
        else if (data.Length == 60 && data[0] == '$' && data[1] == '2' && data[3] == '$' && data[2] is 'a' or 'b' or 'x' or 'y')
        {
            // BCrypt.Net compares in constant time.
            return BCrypt.Net.BCrypt.Verify(password, data);
        }
        else if (data.StartsWith("$argon2i$", StringComparison.Ordinal) || data.StartsWith("$argon2id$", StringComparison.Ordinal))
        {
            return Argon2Phc.Verify(passwordBytes, data, data.StartsWith("$argon2id$", StringComparison.Ordinal));
        }
        else if (DesCrypt.LooksLikeDes(data))
        {
            computed = DesCrypt.Crypt(passwordBytes, data);
        }
        else
        {
            computed = null;
        }

        if (computed is null)
        {
            _logger.MalformedPasswordHash(scheme);
            return false;
        }

        return FixedTimeEquals(computed, data);
    }

    private bool RequirePrefix(string data, string prefix, string scheme)
    {
        if (data.StartsWith(prefix, StringComparison.Ordinal))
        {
            return true;
        }

        _logger.MalformedPasswordHash(scheme);
        return false;
    }

    /// <summary>Dovecot's encoding suffix: <c>{SHA256.HEX}</c>, <c>{SSHA512.B64}</c>.</summary>
    private static (string Scheme, DigestSchemes.Encoding Encoding) SplitEncoding(string scheme)
    {
        int dot = scheme.LastIndexOf('.');
        return dot < 0 ? (scheme, DigestSchemes.Encoding.Auto) : scheme[(dot + 1)..] switch
        {
            "HEX" => (scheme[..dot], DigestSchemes.Encoding.Hex),
            "B64" or "BASE64" => (scheme[..dot], DigestSchemes.Encoding.Base64),
            _ => (scheme, DigestSchemes.Encoding.Auto),
        };
    }

    private bool Unknown(string scheme)
    {
        _logger.UnknownPasswordScheme(scheme);
        return false;
    }

    /// <summary>Compares digests of both values so neither the content nor the length leaks through timing.</summary>
    private static bool FixedTimeEquals(string a, string b)
    {
        Span<byte> left = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> right = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(a), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(b), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}

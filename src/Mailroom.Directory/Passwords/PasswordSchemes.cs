using System.Globalization;
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
/// What one check may cost is bounded by <see cref="PasswordLimitsOptions"/>: a hash asking for more is refused and logged.
/// </summary>
public sealed class PasswordSchemes : IDisposable
{
    private const string PostfixadminPrefix = "dovecot:";

    private readonly ILogger<PasswordSchemes> _logger;
    private readonly int _bcryptCost;
    private readonly PasswordLimitsOptions _limits;
    private readonly SemaphoreSlim _slowChecks;

    public PasswordSchemes(IOptions<DirectoryOptions> options, ILogger<PasswordSchemes> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _bcryptCost = options.Value.BcryptCost;
        _limits = options.Value.PasswordLimits;
        _slowChecks = new SemaphoreSlim(_limits.MaxConcurrentChecks, _limits.MaxConcurrentChecks);
    }

    /// <summary>Slow checks running now (at most <see cref="PasswordLimitsOptions.MaxConcurrentChecks"/>).</summary>
    internal int SlowChecksRunning => _limits.MaxConcurrentChecks - _slowChecks.CurrentCount;

    /// <summary>The scheme new passwords are stored with.</summary>
    public static string DefaultScheme => "BLF-CRYPT";

    /// <summary>Hashes a new password: <c>{BLF-CRYPT}$2y$&lt;cost&gt;$...</c>.</summary>
    /// <exception cref="Admin.DirectoryAdminException">The password is longer than <see cref="PasswordLimitsOptions.MaxPasswordLength"/> (it could never be checked).</exception>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (Encoding.UTF8.GetByteCount(password) > _limits.MaxPasswordLength)
        {
            throw new Admin.DirectoryAdminException($"the password must be at most {_limits.MaxPasswordLength} bytes (Directory:PasswordLimits:MaxPasswordLength)");
        }

        // $2y$ is what Dovecot and PHP write; the algorithm is identical to $2b$.
        string salt = BCrypt.Net.BCrypt.GenerateSalt(_bcryptCost, 'y');
        return "{" + DefaultScheme + "}" + BCrypt.Net.BCrypt.HashPassword(password, salt);
    }

    /// <summary>
    /// As <see cref="Verify"/>, but a slow scheme (crypt, bcrypt, Argon2) waits for one of
    /// <see cref="PasswordLimitsOptions.MaxConcurrentChecks"/> slots first, so a login flood queues instead of taking
    /// every core and, with Argon2, memory without bound.
    /// </summary>
    public async ValueTask<bool> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        if (IsFast(storedHash))
        {
            return Verify(password, storedHash);
        }

        await _slowChecks.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Verify(password, storedHash);
        }
        finally
        {
            _slowChecks.Release();
        }
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="storedHash"/>. Never throws.</summary>
    public bool Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(storedHash);
        int length = Encoding.UTF8.GetByteCount(password);
        if (length > _limits.MaxPasswordLength)
        {
            _logger.PasswordTooLong(length, _limits.MaxPasswordLength);
            return false;
        }

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
                "ARGON2I" => RequirePrefix(data, "$argon2i$", scheme) && VerifyArgon2(passwordBytes, data, argon2id: false, scheme),
                "ARGON2ID" => RequirePrefix(data, "$argon2id$", scheme) && VerifyArgon2(passwordBytes, data, argon2id: true, scheme),
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
        else if (data.StartsWith("$5$", StringComparison.Ordinal) || data.StartsWith("$6$", StringComparison.Ordinal))
        {
            long rounds = ShaCrypt.RequestedRounds(data);
            if (rounds > _limits.MaxShaCryptRounds)
            {
                return TooCostly(scheme, new HashCostExceeded("rounds", rounds, nameof(_limits.MaxShaCryptRounds), _limits.MaxShaCryptRounds));
            }

            computed = ShaCrypt.Crypt(passwordBytes, data, sha512: data[1] == '6');
        }
        else if (data.Length == 60 && data[0] == '$' && data[1] == '2' && data[3] == '$' && data[2] is 'a' or 'b' or 'x' or 'y')
        {
            // The cost is two digits, "$2y$NN$": 2^NN rounds; BCrypt.Net would run whatever it says.
            if (!int.TryParse(data.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int cost) || data[6] != '$')
            {
                _logger.MalformedPasswordHash(scheme);
                return false;
            }

            if (cost > _limits.MaxBcryptCost)
            {
                return TooCostly(scheme, new HashCostExceeded("cost", cost, nameof(_limits.MaxBcryptCost), _limits.MaxBcryptCost));
            }

            // BCrypt.Net compares in constant time.
            return BCrypt.Net.BCrypt.Verify(password, data);
        }
        else if (data.StartsWith("$argon2i$", StringComparison.Ordinal) || data.StartsWith("$argon2id$", StringComparison.Ordinal))
        {
            return VerifyArgon2(passwordBytes, data, data.StartsWith("$argon2id$", StringComparison.Ordinal), scheme);
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

    private bool VerifyArgon2(byte[] passwordBytes, string data, bool argon2id, string scheme) =>
        Argon2Phc.Verify(passwordBytes, data, argon2id, _limits, out HashCostExceeded? exceeded) || (exceeded is { } cost && TooCostly(scheme, cost));

    /// <summary>Logs a hash over the limits; always false (the check is refused, not run).</summary>
    private bool TooCostly(string scheme, HashCostExceeded exceeded)
    {
        _logger.PasswordHashTooCostly(scheme, exceeded.Parameter, exceeded.Value, exceeded.Limit, exceeded.Max);
        return false;
    }

    /// <summary>Plain text and the digest schemes cost one hash: they need no slot of the slow-check gate.</summary>
    private static bool IsFast(string storedHash)
    {
        (string scheme, _) = SplitEncoding(Split(storedHash).Scheme);
        return scheme is "PLAIN" or "CLEARTEXT" || DigestSchemes.IsKnown(scheme);
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

    public void Dispose() => _slowChecks.Dispose();
}

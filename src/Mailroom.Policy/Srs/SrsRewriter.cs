using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Policy.Srs;

/// <summary>
/// SRS as libsrs2 and postsrsd write it (Shevek's "Sender Rewriting Scheme"): a sender <c>local@domain</c> forwarded
/// through us becomes <c>SRS0=HHHH=TT=domain=local@srsdomain</c>, where TT is the day (base32, modulo 1024) and HHHH
/// the first four base64 characters of an HMAC-SHA1 over TT, domain and local part; an address already rewritten by
/// another forwarder becomes <c>SRS1=HHHH=forwarder==…</c>. Bounces to these addresses are reversed after the hash
/// and the age are checked, so nobody can use us to send mail to arbitrary addresses.
/// </summary>
public sealed class SrsRewriter
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int HashLength = 4;
    private const int TimestampCycle = 1024;

    private readonly IReadOnlyList<byte[]> _secrets;
    private readonly int _maxAgeDays;
    private readonly TimeProvider _time;

    public SrsRewriter(IReadOnlyList<byte[]> secrets, int maxAgeDays, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("SRS needs at least one secret", nameof(secrets));
        }

        _secrets = secrets;
        _maxAgeDays = maxAgeDays;
        _time = timeProvider;
    }

    /// <summary>Reads the key file, creating it with a random secret (mode 0600) when it does not exist.</summary>
    public static IReadOnlyList<byte[]> LoadSecrets(string path)
    {
        if (!File.Exists(path))
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created meanwhile by another process: read theirs.
            }
        }

        byte[][] secrets = [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Encoding.UTF8.GetBytes)];
        return secrets.Length > 0 ? secrets : throw new InvalidDataException($"{path} holds no SRS secret");
    }

    public static bool IsSrs(string address) =>
        address.StartsWith("SRS0=", StringComparison.OrdinalIgnoreCase) || address.StartsWith("SRS0+", StringComparison.OrdinalIgnoreCase)
        || address.StartsWith("SRS0-", StringComparison.OrdinalIgnoreCase) || address.StartsWith("SRS1=", StringComparison.OrdinalIgnoreCase)
        || address.StartsWith("SRS1+", StringComparison.OrdinalIgnoreCase) || address.StartsWith("SRS1-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Rewrites <paramref name="sender"/> (<c>local@domain</c>) into an address at <paramref name="srsDomain"/>.</summary>
    public string Forward(string sender, string srsDomain)
    {
        ArgumentNullException.ThrowIfNull(sender);
        int at = sender.LastIndexOf('@');
        if (at <= 0 || at == sender.Length - 1)
        {
            throw new ArgumentException($"'{sender}' is not local@domain", nameof(sender));
        }

        string local = sender[..at];
        string domain = sender[(at + 1)..];
        if (domain.Equals(srsDomain, StringComparison.OrdinalIgnoreCase))
        {
            return sender;
        }

        if (local.StartsWith("SRS1", StringComparison.OrdinalIgnoreCase) && local.Length > 5)
        {
            // SRS1=HHHH=origin==rest: keep origin and rest, sign them with our key.
            string[] parts = local[5..].Split('=', 3);
            if (parts.Length == 3)
            {
                string originAndRest = parts[1] + "=" + parts[2];
                return $"SRS1={Hash(_secrets[0], originAndRest)}={originAndRest}@{srsDomain}";
            }
        }

        if (local.StartsWith("SRS0", StringComparison.OrdinalIgnoreCase) && local.Length > 5)
        {
            // An SRS0 address of another forwarder: SRS1 points back at it.
            string rest = local[4..];
            string data = domain + "=" + rest;
            return $"SRS1={Hash(_secrets[0], data)}={data}@{srsDomain}";
        }

        string stamp = Timestamp(_time.GetUtcNow());
        return $"SRS0={Hash(_secrets[0], stamp + domain + local)}={stamp}={domain}={local}@{srsDomain}";
    }

    /// <summary>The address a bounce to <paramref name="address"/> goes to, after the hash and age are checked.</summary>
    public SrsReversal Reverse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int at = address.LastIndexOf('@');
        string local = at > 0 ? address[..at] : address;
        if (!IsSrs(local) || local.Length < 6)
        {
            return new SrsReversal(SrsReversalStatus.NotSrs);
        }

        bool srs1 = local[3] == '1';
        string[] parts = local[5..].Split('=');
        if (srs1)
        {
            // SRS1=HHHH=origin==rest -> SRS0rest@origin (the first forwarder's address)
            int separator = local.IndexOf("==", 5, StringComparison.Ordinal);
            if (parts.Length < 3 || separator < 0)
            {
                return Invalid("malformed SRS1 address");
            }

            string hash = parts[0];
            string originAndRest = local[(5 + hash.Length + 1)..];
            if (!Verify(hash, originAndRest))
            {
                return Invalid("SRS1 hash does not match");
            }

            string origin = local[(5 + hash.Length + 1)..separator];
            string rest = local[(separator + 1)..];
            return new SrsReversal(SrsReversalStatus.Reversed, $"SRS0{rest}@{origin}");
        }

        // SRS0=HHHH=TT=domain=local
        if (parts.Length < 4)
        {
            return Invalid("malformed SRS0 address");
        }

        string srsHash = parts[0];
        string stamp = parts[1];
        string domain = parts[2];
        string originalLocal = string.Join('=', parts[3..]);
        if (!Verify(srsHash, stamp + domain + originalLocal))
        {
            return Invalid("SRS0 hash does not match");
        }

        if (Age(stamp) is not { } age || age > _maxAgeDays)
        {
            return Invalid("SRS0 address expired");
        }

        return new SrsReversal(SrsReversalStatus.Reversed, $"{originalLocal}@{domain}");
    }

    private static SrsReversal Invalid(string problem) => new(SrsReversalStatus.Invalid, null, problem);

    private bool Verify(string hash, string data) =>
        hash.Length == HashLength && _secrets.Any(secret => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(secret, data).ToLowerInvariant()), Encoding.ASCII.GetBytes(hash.ToLowerInvariant())));

    /// <summary>
    /// HMAC-SHA1 over the lower-cased data (mail systems may fold the case of local parts), base64, first four
    /// characters. Compared case-insensitively for the same reason.
    /// </summary>
    private static string Hash(byte[] secret, string data)
    {
        byte[] mac = HMACSHA1.HashData(secret, Encoding.UTF8.GetBytes(data.ToLowerInvariant()));
        return Convert.ToBase64String(mac)[..HashLength];
    }

    private static string Timestamp(DateTimeOffset now)
    {
        long day = now.ToUnixTimeSeconds() / 86400 % TimestampCycle;
        return string.Concat(Base32[(int)(day >> 5) & 31], Base32[(int)day & 31]);
    }

    /// <summary>Days since the stamp was made, modulo the 1024-day cycle; null when it is not a stamp.</summary>
    private int? Age(string stamp)
    {
        if (stamp.Length != 2)
        {
            return null;
        }

        int high = Base32.IndexOf(char.ToUpperInvariant(stamp[0]), StringComparison.Ordinal);
        int low = Base32.IndexOf(char.ToUpperInvariant(stamp[1]), StringComparison.Ordinal);
        if (high < 0 || low < 0)
        {
            return null;
        }

        int then = (high << 5) | low;
        int today = (int)(_time.GetUtcNow().ToUnixTimeSeconds() / 86400 % TimestampCycle);
        return ((today - then) % TimestampCycle + TimestampCycle) % TimestampCycle;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// The DKIM keys of every domain: <c>&lt;KeyDirectory&gt;/&lt;domain&gt;/&lt;selector&gt;.pem</c> (PKCS #8, mode 0600) and an
/// <c>active</c> file naming the selectors that sign. A new key of an algorithm the domain already signs with waits
/// as the next key until <see cref="Rotate"/>, so its record can be published first (rotation with two selectors);
/// the old selector stays readable in DNS until it is removed. Reads are cached and refreshed when a domain's
/// directory changes, so <c>mailroom dkim</c> takes effect in a running server.
/// </summary>
public sealed class DkimKeyStore
{
    private const string ActiveFile = "active";
    private readonly string _root;
    private readonly ConcurrentDictionary<string, (DateTime Stamp, IReadOnlyList<DkimKey> Keys)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public DkimKeyStore(string keyDirectory)
    {
        _root = Path.GetFullPath(keyDirectory);
    }

    public string Root => _root;

    /// <summary>The domains with at least one key.</summary>
    public IReadOnlyList<string> Domains() =>
        System.IO.Directory.Exists(_root)
            ? [.. System.IO.Directory.EnumerateDirectories(_root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Every key of <paramref name="domain"/>, active ones first.</summary>
    public IReadOnlyList<DkimKey> Keys(string domain)
    {
        string directory = DomainDirectory(domain);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        DateTime stamp = System.IO.Directory.GetLastWriteTimeUtc(directory);
        string active = Path.Combine(directory, ActiveFile);
        if (File.Exists(active))
        {
            DateTime activeStamp = File.GetLastWriteTimeUtc(active);
            stamp = activeStamp > stamp ? activeStamp : stamp;
        }

        if (_cache.TryGetValue(domain, out var cached) && cached.Stamp == stamp)
        {
            return cached.Keys;
        }

        HashSet<string> selectors = File.Exists(active)
            ? new(File.ReadAllLines(active).Select(l => l.Trim()).Where(l => l.Length > 0), StringComparer.OrdinalIgnoreCase)
            : [];
        var keys = new List<DkimKey>();
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*.pem"))
        {
            string selector = Path.GetFileNameWithoutExtension(file);
            keys.Add(Load(domain.ToLowerInvariant(), selector, file, selectors.Contains(selector)));
        }

        IReadOnlyList<DkimKey> result = [.. keys.OrderByDescending(k => k.Active).ThenByDescending(k => k.Created).ThenBy(k => k.Selector, StringComparer.Ordinal)];
        _cache[domain] = (stamp, result);
        return result;
    }

    /// <summary>The keys that sign for <paramref name="domain"/> (at most one per algorithm).</summary>
    public IReadOnlyList<DkimKey> SigningKeys(string domain) => [.. Keys(domain).Where(k => k.Active)];

    /// <summary>
    /// Generates a key. The first key of its algorithm signs at once; a further one is the next key, activated by
    /// <see cref="Rotate"/>. The selector defaults to the year and month plus <c>r</c> (RSA) or <c>e</c> (Ed25519).
    /// </summary>
    public DkimKey Generate(string domain, DkimAlgorithm algorithm, string? selector, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (!Core.EmailAddress.IsValidDomain(domain) || domain.StartsWith('['))
        {
            throw new ArgumentException($"'{domain}' is not a domain name");
        }

        selector ??= time.GetUtcNow().ToString("yyyyMM", CultureInfo.InvariantCulture) + (algorithm == DkimAlgorithm.Rsa ? "r" : "e");
        if (selector.Length is 0 or > 63 || !selector.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"'{selector}' is not a valid selector (letters, digits, '-' and '_')");
        }

        string directory = DomainDirectory(domain);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string path = Path.Combine(directory, selector + ".pem");
        if (File.Exists(path))
        {
            throw new ArgumentException($"{domain} already has a key with selector {selector}");
        }

        WritePrivate(path, Pem(GenerateKey(algorithm)));
        bool signsAlready = Keys(domain).Any(k => k.Active && k.Algorithm == algorithm);
        if (!signsAlready)
        {
            SetActive(domain, [.. Keys(domain).Where(k => k.Active).Select(k => k.Selector), selector]);
        }

        _cache.TryRemove(domain, out _);
        return Keys(domain).Single(k => k.Selector == selector);
    }

    /// <summary>Makes the newest key of each algorithm the signing one; returns the keys that sign now.</summary>
    public IReadOnlyList<DkimKey> Rotate(string domain)
    {
        IReadOnlyList<DkimKey> keys = Keys(domain);
        string[] newest = [.. keys.GroupBy(k => k.Algorithm).Select(g => g.OrderByDescending(k => k.Created).First().Selector)];
        SetActive(domain, newest);
        _cache.TryRemove(domain, out _);
        return SigningKeys(domain);
    }

    /// <summary>Deletes a key that no longer signs (publish its record until mail signed with it has arrived).</summary>
    public void Remove(string domain, string selector)
    {
        DkimKey key = Keys(domain).FirstOrDefault(k => k.Selector.Equals(selector, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{domain} has no key with selector {selector}");
        if (key.Active)
        {
            throw new ArgumentException($"{selector} still signs for {domain}: rotate to another key first");
        }

        File.Delete(key.Path);
        _cache.TryRemove(domain, out _);
    }

    private string DomainDirectory(string domain)
    {
        string name = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{domain}' is not a domain name");
        }

        return Path.Combine(_root, name);
    }

    private void SetActive(string domain, IEnumerable<string> selectors)
    {
        string path = Path.Combine(DomainDirectory(domain), ActiveFile);
        WritePrivate(path, string.Join('\n', selectors.Distinct(StringComparer.OrdinalIgnoreCase)) + "\n");
    }

    private static void WritePrivate(string path, string text)
    {
        string temp = path + ".tmp";
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static AsymmetricKeyParameter GenerateKey(DkimAlgorithm algorithm)
    {
        if (algorithm == DkimAlgorithm.Ed25519)
        {
            var generator = new Ed25519KeyPairGenerator();
            generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            return generator.GenerateKeyPair().Private;
        }

        // RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use 2048.
        using var rsa = RSA.Create(2048);
        return PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
    }

    private static string Pem(AsymmetricKeyParameter key)
    {
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new Pkcs8Generator(key));
        writer.Writer.Flush();
        return text.ToString();
    }

    private static DkimKey Load(string domain, string selector, string path, bool active)
    {
        AsymmetricKeyParameter key;
        using (var reader = new StreamReader(path))
        {
            object read = new PemReader(reader).ReadObject();
            key = read switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter parameter => parameter,
                _ => throw new InvalidDataException($"{path} holds no private key"),
            };
        }

        (DkimAlgorithm algorithm, string publicKey) = key switch
        {
            Ed25519PrivateKeyParameters ed => (DkimAlgorithm.Ed25519, Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded())),
            RsaPrivateCrtKeyParameters rsa => (DkimAlgorithm.Rsa, Convert.ToBase64String(
                SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetEncoded())),
            _ => throw new InvalidDataException($"{path}: only RSA and Ed25519 keys sign DKIM"),
        };
        System.Security.Cryptography.RSAParameters? native = key is RsaPrivateCrtKeyParameters crt ? DotNetUtilities.ToRSAParameters(crt) : null;
        return new DkimKey(domain, selector, algorithm, path, active, new DateTimeOffset(File.GetCreationTimeUtc(path) > File.GetLastWriteTimeUtc(path) ? File.GetCreationTimeUtc(path) : File.GetLastWriteTimeUtc(path), TimeSpan.Zero))
        {
            PrivateKey = key,
            RsaParameters = native,
            PublicKeyBase64 = publicKey,
        };
    }
}

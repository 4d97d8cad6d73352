using System.ComponentModel.DataAnnotations;

namespace Mailroom.Directory.Passwords;

/// <summary>
/// Bounds on what checking one password may cost (<c>Directory:PasswordLimits</c>). A stored hash is data from the
/// database, not code: a row asking for absurd parameters (SHA-crypt <c>rounds=999999999</c>, bcrypt cost 31, Argon2
/// with gigabytes of memory) is refused and logged instead of running for minutes; the password a client sends is
/// bounded too, since SHA-crypt's and MD5-crypt's work grows with its length. Hashes beyond a bound fail to verify
/// until an admin re-hashes them (<c>mailroom user passwd</c>).
/// </summary>
public sealed class PasswordLimitsOptions
{
    /// <summary>
    /// Longest password checked, in UTF-8 bytes; longer ones fail like a wrong password and cannot be set. Default
    /// 256: above any passphrase a person types or a password manager generates (bcrypt reads only 72 bytes), and it
    /// keeps the cost of a SHA-crypt check, which grows with the password's length, near the round limit's.
    /// </summary>
    [Range(16, 65536)]
    public int MaxPasswordLength { get; set; } = 256;

    /// <summary>
    /// Most rounds of a SHA256-CRYPT/SHA512-CRYPT hash (<c>$5$rounds=N$</c>, <c>$6$rounds=N$</c>). Default 1000000:
    /// the specification's default is 5000 and passlib's 535000/656000 fit; a check at the limit costs about as much as
    /// one at <see cref="MaxBcryptCost"/> (1.5 times, measured), a second or two of one core.
    /// </summary>
    [Range(1000, 999_999_999)]
    public int MaxShaCryptRounds { get; set; } = 1_000_000;

    /// <summary>
    /// Highest bcrypt cost (<c>$2y$NN$</c>) checked. Default 14: a second or so of one core per check (each step
    /// doubles it); Dovecot, PHP and Mailroom itself write 10 to 12.
    /// </summary>
    [Range(4, 31)]
    public int MaxBcryptCost { get; set; } = 14;

    /// <summary>
    /// Most memory of an ARGON2I/ARGON2ID hash (<c>m=</c>, KiB). Default 262144 (256 MiB), libsodium's "moderate"
    /// level; Dovecot's default is 64 MiB. Together with <see cref="MaxConcurrentChecks"/> it bounds the memory that
    /// password checks can take.
    /// </summary>
    [Range(8, 4 * 1024 * 1024)]
    public int MaxArgon2MemoryKib { get; set; } = 256 * 1024;

    /// <summary>Most passes of an Argon2 hash (<c>t=</c>). Default 10: libsodium's "sensitive" level uses 4 (Argon2id) to 8 (Argon2i).</summary>
    [Range(1, 1000)]
    public int MaxArgon2Iterations { get; set; } = 10;

    /// <summary>Most lanes of an Argon2 hash (<c>p=</c>); each may run on its own thread. Default 8: libsodium writes 1, the reference CLI's examples 4.</summary>
    [Range(1, 64)]
    public int MaxArgon2Parallelism { get; set; } = 8;

    /// <summary>
    /// Slow password checks (crypt schemes, bcrypt, Argon2) running at once; more wait their turn. Default: the
    /// number of processors, since each check is CPU-bound and more at once only share the same cores while holding
    /// their memory.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentChecks { get; set; } = Environment.ProcessorCount;
}

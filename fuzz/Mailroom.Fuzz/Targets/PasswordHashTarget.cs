using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Directory;
using Mailroom.Directory.Passwords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Stored password hashes as the directory reads them from SQL rows ({SCHEME} prefixes, crypt strings: DES, MD5,
/// SHA-256/512 with rounds, bcrypt, Argon2 PHC, the salted digests in hex and base64). <see cref="PasswordSchemes.Verify"/>
/// promises never to throw. Input: the password, a NUL, the stored hash. Work factors above a small bound are left out:
/// a hash that asks for 10⁹ SHA rounds is slow by design, not by a parser fault.
/// </summary>
internal sealed partial class PasswordHashTarget : FuzzTarget
{
    private readonly PasswordSchemes _schemes = new(Options.Create(new DirectoryOptions()), NullLogger<PasswordSchemes>.Instance);

    public override string Name => "password-hash";

    public override string Description => "stored password hash parsing and verification (crypt, PHC, digests)";

    public override int MaxLength => 1024;

    public override string? Dictionary => "password.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        int separator = text.IndexOf('\0', StringComparison.Ordinal);
        if (separator < 0)
        {
            return;
        }

        string password = text[..separator];
        string stored = text[(separator + 1)..];
        if (IsExpensive(stored))
        {
            return;
        }

        _ = _schemes.Verify(password, stored);
    }

    private static bool IsExpensive(string stored)
    {
        foreach (Match match in WorkFactor().Matches(stored))
        {
            string digits = match.Groups["n"].Value;
            if (digits.Length > 6 || int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) > Limit(match.Groups["k"].Value))
            {
                return true;
            }
        }

        return false;
    }

    private static int Limit(string key) => key switch
    {
        "rounds=" => 5000,
        "m=" => 256,
        "t=" or "p=" => 2,
        _ => 5, // bcrypt's cost: 2^5 rounds
    };

    [GeneratedRegex(@"(?<k>rounds=|m=|t=|p=|\$2[abxy]?\$)(?<n>[0-9]+)")]
    private static partial Regex WorkFactor();
}

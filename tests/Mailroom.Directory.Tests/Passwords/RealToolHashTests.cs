using Mailroom.Directory.Passwords;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>
/// Hashes of the password "secret" made by the real tools (Dovecot 2.3 <c>doveadm pw -s SCHEME -p secret</c>
/// and whois' <c>mkpasswd</c>), committed as constants, verified through <see cref="PasswordSchemes"/>.
/// Argon2 (memory-hard, slow on purpose) has its own class, <see cref="Argon2Tests"/>.
/// </summary>
public sealed class RealToolHashTests
{
    private const string Password = "secret";

    public static TheoryData<string> RealHashes => new()
    {
        // doveadm pw -s <scheme> -p secret
        "{SHA256-CRYPT}$5$5mMAJvy8E2jZqFzU$dLnjZ5DqsRvqkl1TgS3crKcnKZv3ooAwlTiNRV1wJ3B",
        "{SHA512-CRYPT}$6$fAn7I4Nu0y.wbJAg$bvF6xJneNOIMKAdgwrKytka8KwwmgbHkMXxM8vp2Fqbj/Dc34rAzO5YqENxFHpsu/O3CM0LJT3pqp4xS9QL9T/",
        "{SHA512-CRYPT}$6$rounds=6000$Vaj8C/Rf53sOWXJg$ayv8QdO7CTwSFl3NZJSAgDXyy2mY6VxxLIHJBlo6CKn1ov4A0S27HdstMBgJaTWsQe6PSfJ4.SoF1XuPGM6Gp.",
        "{MD5-CRYPT}$1$zVmtDjFU$y2vLWZeG4tZWwOT2plrvb1",
        "{BLF-CRYPT}$2y$05$9OsYRpc6VTwyLwJ2ZJCxce3dYCaOeJjPBn0/LSQ96jI1i2XCa63.q",
        "{CRYPT}$2y$05$gycj75nXXCCflvaBhLc5..GLun9MeLZLuALLGZ.y3PAR0upc1O1vG",
        "{PLAIN}secret",
        "{CLEARTEXT}secret",

        // mkpasswd -m sha-512 -R 5000 secret; -m sha-256; -m sha-512 -R 10000; -m md5crypt; -m descrypt (bare crypt strings)
        "$6$0jWHgIXN2g/3OAjP$Mo10J6a1pr0hQ7Kc/wfTNfmuy6VBveCsIU/3omWUmNj9UpXOBZ4iPMie5wQ16GkGU8ow00MlNnWhPeLte.JH//",
        "$5$1cJMrX6inuDlqSd2$zkkZ92l5NhA3Oufi4d97mY2LaeJu7OTKdh7MogFXAX/",
        "$6$rounds=10000$NZnFAI8sRPQj5WMP$N2uHma/gBIHA/1Bf3tNC4v50Yfe6X//Wr8omCEcYNYWSOFt3V/AchPEm0nMyh0e2HRgWbIcVC72fgHnM9b583.",
        "$1$tSI0pf8.$84AfV1cfElMlzV/mh3pUS1",
        "VCidXZh4tX.as",
        "{CRYPT}VCidXZh4tX.as",

        // postfixadmin's dovecot: prefix and a bare bcrypt string.
        "dovecot:{SHA512-CRYPT}$6$fAn7I4Nu0y.wbJAg$bvF6xJneNOIMKAdgwrKytka8KwwmgbHkMXxM8vp2Fqbj/Dc34rAzO5YqENxFHpsu/O3CM0LJT3pqp4xS9QL9T/",
        "$2y$05$9OsYRpc6VTwyLwJ2ZJCxce3dYCaOeJjPBn0/LSQ96jI1i2XCa63.q",
    };

    [Theory]
    [MemberData(nameof(RealHashes))]
    public void HashMadeByRealToolVerifies(string stored) =>
        Assert.True(TestOptions.Schemes().Verify(Password, stored));

    [Theory]
    [MemberData(nameof(RealHashes))]
    public void WrongPasswordIsRejectedForEveryScheme(string stored)
    {
        PasswordSchemes schemes = TestOptions.Schemes();
        Assert.False(schemes.Verify("Secret", stored));
        Assert.False(schemes.Verify("secret ", stored));
        Assert.False(schemes.Verify(string.Empty, stored));
    }

    [Theory]
    [InlineData("{SSHA}somethingunsupported")]
    [InlineData("{SHA512-CRYPT}$1$zVmtDjFU$y2vLWZeG4tZWwOT2plrvb1")]
    [InlineData("{ARGON2ID}$argon2id$v=16$m=65536,t=3,p=1$IbRjG1woiAPohuenoFQiOw$WWPi9tBwpEt7T8aTE8vXFBC13jyQ7Gr1ITlUNJrKJiY")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=99999999,t=3,p=1$IbRjG1woiAPohuenoFQiOw$WWPi9tBwpEt7T8aTE8vXFBC13jyQ7Gr1ITlUNJrKJiY")]
    [InlineData("{BLF-CRYPT}$2y$05$short")]
    [InlineData("$6$rounds=abc$salt$hash")]
    [InlineData("{CRYPT}not a crypt string")]
    [InlineData("")]
    public void UnknownOrMalformedHashFailsWithoutThrowing(string stored) =>
        Assert.False(TestOptions.Schemes().Verify(Password, stored));

    [Fact]
    public void NewPasswordsAreStoredAsBlfCryptWithTheConfiguredCost()
    {
        PasswordSchemes schemes = TestOptions.Schemes(bcryptCost: 5);
        string stored = schemes.Hash(Password);
        Assert.StartsWith("{BLF-CRYPT}$2y$05$", stored, StringComparison.Ordinal);
        Assert.True(schemes.Verify(Password, stored));
        Assert.False(schemes.Verify("wrong", stored));
    }

    [Fact]
    public void SchemeNamesAreCaseInsensitive() =>
        Assert.True(TestOptions.Schemes().Verify(Password, "{md5-crypt}$1$zVmtDjFU$y2vLWZeG4tZWwOT2plrvb1"));
}

using System.Text;
using Mailroom.Directory.Passwords;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>The published test vectors of each crypt algorithm, run through the algorithms directly.</summary>
public sealed class PublishedVectorTests
{
    // Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512", test vectors (setting, password, expected).
    public static TheoryData<string, string, string> Sha256Vectors => new()
    {
        { "$5$saltstring", "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" },
        { "$5$rounds=10000$saltstringsaltstring", "Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA" },
        { "$5$rounds=5000$toolongsaltstring", "This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5" },
        { "$5$rounds=1400$anotherlongsaltstring", "a very much longer text to encrypt.  This one even stretches over morethan one line.", "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1" },
        { "$5$rounds=77777$short", "we have a short salt string but not a short password", "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/" },
        { "$5$rounds=123456$asaltof16chars..", "a short string", "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD" },
        { "$5$rounds=10$roundstoolow", "the minimum number is still observed", "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC" },
    };

    public static TheoryData<string, string, string> Sha512Vectors => new()
    {
        { "$6$saltstring", "Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1" },
        { "$6$rounds=10000$saltstringsaltstring", "Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v." },
        { "$6$rounds=5000$toolongsaltstring", "This is just a test", "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0" },
        { "$6$rounds=1400$anotherlongsaltstring", "a very much longer text to encrypt.  This one even stretches over morethan one line.", "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1" },
        { "$6$rounds=77777$short", "we have a short salt string but not a short password", "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0" },
        { "$6$rounds=123456$asaltof16chars..", "a short string", "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1" },
        { "$6$rounds=10$roundstoolow", "the minimum number is still observed", "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX." },
    };

    // FreeBSD's libcrypt test and PHP's crypt() documentation.
    public static TheoryData<string, string> Md5Vectors => new()
    {
        { "0.s0.l33t", "$1$deadbeef$0Huu6KHrKLVWfqa4WljDE0" },
        { "rasmuslerdorf", "$1$rasmusle$rISCgZzpwk3UhDidwXvin0" },
    };

    // PHP's crypt() documentation (rl.3StKT.4T8M) and classic crypt(3) outputs (also produced by glibc).
    public static TheoryData<string, string> DesVectors => new()
    {
        { "rasmuslerdorf", "rl.3StKT.4T8M" },
        { "test", "aaqPiZY5xR5l." },
        { "foob", "arlEKn0OzVJn." },
        { "longerthan8chars", "zz6XwEAsbAWcE" },
    };

    [Theory]
    [MemberData(nameof(Sha256Vectors))]
    public void Sha256CryptMatchesDreppersVectors(string setting, string password, string expected) =>
        Assert.Equal(expected, ShaCrypt.Crypt(Encoding.UTF8.GetBytes(password), setting, sha512: false));

    [Theory]
    [MemberData(nameof(Sha512Vectors))]
    public void Sha512CryptMatchesDreppersVectors(string setting, string password, string expected) =>
        Assert.Equal(expected, ShaCrypt.Crypt(Encoding.UTF8.GetBytes(password), setting, sha512: true));

    [Theory]
    [MemberData(nameof(Md5Vectors))]
    public void Md5CryptMatchesKnownVectors(string password, string expected) =>
        Assert.Equal(expected, Md5Crypt.Crypt(Encoding.UTF8.GetBytes(password), expected));

    [Theory]
    [MemberData(nameof(DesVectors))]
    public void DesCryptMatchesKnownVectors(string password, string expected) =>
        Assert.Equal(expected, DesCrypt.Crypt(Encoding.UTF8.GetBytes(password), expected));

    [Fact]
    public void DesCoreMatchesTheClassicFipsExample()
    {
        // The worked example of the DES literature: key 133457799BBCDFF1, plaintext 0123456789ABCDEF.
        Assert.Equal(0x85E813540F0AB405UL, DesCrypt.EncryptBlock(0x133457799BBCDFF1UL, 0x0123456789ABCDEFUL));
    }

    [Fact]
    public void Md5CryptOfEmptyPasswordMatchesGlibc() =>
        Assert.Equal("$1$$qRPK7m23GJusamGpoGLby/", Md5Crypt.Crypt([], "$1$$"));
}

using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>
/// Dovecot's digest schemes as postfixadmin stores them (<c>$CONF['encrypt'] = 'dovecot:SSHA512'</c> etc.):
/// every hash below was made with <c>doveadm pw -s SCHEME -p secret</c> (Dovecot 2.3, Debian 12) and committed.
/// </summary>
public sealed class DigestHashTests
{
    public static TheoryData<string> DoveadmHashes => new()
    {
        "{SSHA}4bOQzl1oKl1HvyXQJGjixxPKAvOleZFm",
        "{SSHA256}a/KNV9uS7WB0WcT3iHgWUdzjfONdKxrNiaOgz8I/8QN26rTN",
        "{SSHA512}RxNeNBmzDLvRzZGSIYXZnQvARE4ZDJnMa5V5VmB/d38mAk0rCeZJQiJksHyDZUlGI9uy+DyoKbHCIARl6n2LYFqqF6g=",
        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
        "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=",
        "{SHA512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==",
        "{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee69",
        "{LDAP-MD5}Xr4ilOzQ4PCOq3aQ0qbuaQ==",
        "{SMD5}euzWZKzY77sYoXjsdKpGP82kA98=",
        "{SHA256.HEX}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
        "{SSHA512.HEX}29d2aa59c31b1d41fad46b110b719f7a2539f7d01da5657c39b64735ff099113a4e91947517933a5f3a73af11d28e48cffd9c34db1437598899ac9868f0670d11c29ef7f",
        "{SHA512.B64}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==",
        "dovecot:{SSHA512}RxNeNBmzDLvRzZGSIYXZnQvARE4ZDJnMa5V5VmB/d38mAk0rCeZJQiJksHyDZUlGI9uy+DyoKbHCIARl6n2LYFqqF6g=",
    };

    [Theory]
    [MemberData(nameof(DoveadmHashes))]
    public void DoveadmDigestVerifies(string stored) =>
        Assert.True(TestOptions.Schemes().Verify("secret", stored));

    [Theory]
    [MemberData(nameof(DoveadmHashes))]
    public void WrongPasswordFailsForEveryDigest(string stored)
    {
        Assert.False(TestOptions.Schemes().Verify("Secret", stored));
        Assert.False(TestOptions.Schemes().Verify("secret\u00a0", stored));
    }

    [Theory]
    [InlineData("{SHA256}not base64!")]
    [InlineData("{SSHA512}AAAA")]
    [InlineData("{SHA}")]
    [InlineData("{PLAIN-MD5}5ebe2294ecd0e0f08eab7690d2a6ee6")]
    public void MalformedDigestFailsWithoutThrowing(string stored) =>
        Assert.False(TestOptions.Schemes().Verify("secret", stored));
}

using Mailroom.Directory.Passwords;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>
/// Argon2i/Argon2id in PHC format. Kept in one class so the memory-hard verifications (32-64 MiB each at
/// Dovecot's defaults) run one after another rather than all at once.
/// </summary>
public sealed class Argon2Tests
{
    [Fact]
    public void ReferenceImplementationsPublishedExampleVerifies()
    {
        // The README of the reference implementation (P-H-C/phc-winner-argon2):
        // echo -n "password" | ./argon2 somesalt -t 2 -m 16 -p 4 -l 24
        Assert.True(TestOptions.Schemes().Verify("password", "{ARGON2I}$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"));
    }

    [Fact]
    public void DoveadmArgon2HashesVerify()
    {
        // doveadm pw -s ARGON2I -p secret; doveadm pw -s ARGON2ID -p secret (Dovecot 2.3, libsodium)
        PasswordSchemes schemes = TestOptions.Schemes();
        Assert.True(schemes.Verify("secret", "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$AUrS8rVvAr5I/+NbupDY7w$vYl4gcqaa29FWydmNZLCOuPLLwomlonuWYqCuRoZNjk"));
        Assert.True(schemes.Verify("secret", "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$IbRjG1woiAPohuenoFQiOw$WWPi9tBwpEt7T8aTE8vXFBC13jyQ7Gr1ITlUNJrKJiY"));
    }

    [Theory]
    // echo -n secret | argon2 mailroomsalt16by -i -t 2 -m 10 -p 1 -e   (reference CLI, 1 MiB)
    [InlineData("{ARGON2I}$argon2i$v=19$m=1024,t=2,p=1$bWFpbHJvb21zYWx0MTZieQ$Mf05ai1JgEUgf6U9t4+mNhK1OC1KmpTRNSzk1TgCVuo")]
    // echo -n secret | argon2 mailroomsalt16by -id -t 2 -m 10 -p 2 -e
    [InlineData("{ARGON2ID}$argon2id$v=19$m=1024,t=2,p=2$bWFpbHJvb21zYWx0MTZieQ$k8d5cfIuZQopTzFC54vAYe72JrDUvtHCwpfR809sJYk")]
    public void Argon2AcceptsTheRightPasswordAndRejectsWrongOnes(string stored)
    {
        PasswordSchemes schemes = TestOptions.Schemes();
        Assert.True(schemes.Verify("secret", stored));
        Assert.False(schemes.Verify("Secret", stored));
        Assert.False(schemes.Verify(string.Empty, stored));
    }

    [Fact]
    public void Argon2VariantMismatchIsRejected() =>
        Assert.False(TestOptions.Schemes().Verify("secret", "{ARGON2I}$argon2id$v=19$m=1024,t=2,p=2$bWFpbHJvb21zYWx0MTZieQ$k8d5cfIuZQopTzFC54vAYe72JrDUvtHCwpfR809sJYk"));
}

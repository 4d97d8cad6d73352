using Mailroom.Directory.Passwords;
using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests.Passwords;

/// <summary>
/// Interoperability with the installed Dovecot: hashes generated now by <c>doveadm pw</c> verify here, and
/// <c>doveadm pw -t</c> accepts the hashes Mailroom stores. Skipped when doveadm is absent
/// (fails instead when MAILROOM_REQUIRE_EXTERNAL=1).
/// </summary>
public sealed class LiveToolTests
{
    private const string DoveadmPackage = "dovecot-core";

    [Theory]
    [InlineData("SHA256-CRYPT")]
    [InlineData("SHA512-CRYPT")]
    [InlineData("MD5-CRYPT")]
    [InlineData("BLF-CRYPT")]
    [InlineData("ARGON2I")]
    [InlineData("ARGON2ID")]
    [InlineData("CRYPT")]
    [InlineData("PLAIN")]
    public async Task FreshDoveadmHashVerifiesAndRejectsWrongPassword(string scheme)
    {
        string doveadm = ExternalTool.Require("doveadm", DoveadmPackage);
        const string password = "fresh-Secret 42";
        ProcessResult generated = await ExternalTool.RunAsync(doveadm, ["pw", "-s", scheme, "-p", password]);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        string output = generated.StandardOutput.Trim();
        Assert.StartsWith("{" + scheme + "}", output, StringComparison.Ordinal);

        PasswordSchemes schemes = TestOptions.Schemes();
        Assert.True(schemes.Verify(password, output), output);

        // Argon2 at Dovecot's 32-64 MiB costs ~0.5 s per check here; RealToolHashTests covers its wrong passwords.
        if (!scheme.StartsWith("ARGON2", StringComparison.Ordinal))
        {
            Assert.False(schemes.Verify("fresh-secret 42", output));
        }
    }

    [Fact]
    public async Task DoveadmAcceptsTheHashMailroomStores()
    {
        string doveadm = ExternalTool.Require("doveadm", DoveadmPackage);

        // The production default cost, so the exact string format new users get is what Dovecot checks.
        string stored = TestOptions.Schemes(bcryptCost: 10).Hash("secret");

        ProcessResult accepted = await ExternalTool.RunAsync(doveadm, ["pw", "-t", stored, "-p", "secret"]);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains("(verified)", accepted.StandardOutput + accepted.StandardError, StringComparison.Ordinal);

        ProcessResult rejected = await ExternalTool.RunAsync(doveadm, ["pw", "-t", stored, "-p", "wrong"]);
        Assert.NotEqual(0, rejected.ExitCode);
    }

    [Fact]
    public async Task FreshMkpasswdHashesVerify()
    {
        string mkpasswd = ExternalTool.Require("mkpasswd", "whois");
        PasswordSchemes schemes = TestOptions.Schemes();
        string[][] invocations =
        [
            ["-m", "sha-512", "-R", "5000", "secret"],
            ["-m", "sha-256", "secret"],
            ["-m", "md5crypt", "secret"],
            ["-m", "descrypt", "secret"],
        ];
        foreach (string[] arguments in invocations)
        {
            ProcessResult generated = await ExternalTool.RunAsync(mkpasswd, arguments);
            Assert.True(generated.ExitCode == 0, generated.ToString());
            string hash = generated.StandardOutput.Trim();
            Assert.True(schemes.Verify("secret", hash), hash);
            Assert.False(schemes.Verify("secreT", hash), hash);
        }
    }
}

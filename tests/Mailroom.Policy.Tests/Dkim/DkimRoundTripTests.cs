using Mailroom.Policy.Dkim;
using Mailroom.Policy.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Mailroom.Policy.Tests.Dkim;

public sealed class DkimRoundTripTests : IDisposable
{
    /// <summary>One RSA and one Ed25519 key for example.org, generated once: RSA key generation takes seconds.</summary>
    private static readonly Lazy<(string Directory, IReadOnlyList<DkimKey> Keys)> SharedKeys = new(() =>
    {
        string directory = Path.Combine(Path.GetTempPath(), "mailroom-dkim-shared-" + Guid.NewGuid().ToString("N"));
        var store = new DkimKeyStore(directory);
        store.Generate("example.org", DkimAlgorithm.Rsa, "rsa1", TimeProvider.System);
        store.Generate("example.org", DkimAlgorithm.Ed25519, "ed1", TimeProvider.System);
        return (directory, store.SigningKeys("example.org"));
    });

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mailroom-dkim-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_727_776_800));
    private readonly FakeDns _dns = new();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private (DkimKeyStore Store, IReadOnlyList<DkimKey> Keys) KeysFor(string domain)
    {
        IReadOnlyList<DkimKey> keys = SharedKeys.Value.Keys;
        foreach (DkimKey key in keys)
        {
            _dns.Txt($"{key.Selector}._domainkey.{domain}", key.TxtRecord);
        }

        return (new DkimKeyStore(SharedKeys.Value.Directory), keys);
    }

    private async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(string text, DkimOptions? options = null) =>
        await new DkimChecker(_dns, options ?? new DkimOptions(), _time).VerifyAsync(TestMessages.Parse(text), TestContext.Current.CancellationToken);

    private string Sign(string text, IReadOnlyList<DkimKey> keys)
    {
        MimeMessage message = TestMessages.Parse(text);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        DkimSigning.Sign(message, format, keys, _time.GetUtcNow());
        return TestMessages.Serialize(message);
    }

    [Fact]
    public async Task MessageSignedWithRsaAndEd25519VerifiesTwice()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), keys);

        IReadOnlyList<DkimSignatureResult> results = await VerifyAsync(signed);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("pass", r.Result));
        Assert.Contains(results, r => r.Algorithm == "ed25519-sha256");
        Assert.Contains(results, r => r.Algorithm == "rsa-sha256");
    }

    [Fact]
    public void SignatureOverSignsFromSubjectToAndDate()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        MimeMessage message = TestMessages.Parse(Sign(TestMessages.Simple(), keys));

        string h = message.Headers[HeaderId.DkimSignature]!.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);

        Assert.Contains("c=relaxed/relaxed", h, StringComparison.Ordinal);
        foreach (string field in new[] { "from", "subject", "to", "date" })
        {
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(h, $"[=:]{field}(?=[:;])").Count);
        }
    }

    [Fact]
    public async Task ChangedBodyFailsVerification()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), keys).Replace("Hello Bob.", "Hello Eve.", StringComparison.Ordinal);

        Assert.All(await VerifyAsync(signed), r => Assert.Equal("fail", r.Result));
    }

    [Fact]
    public async Task AddedFromHeaderBreaksTheOverSignedSignature()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), keys);
        string tampered = signed.Replace("Subject: test", "From: ceo@example.org\r\nSubject: test", StringComparison.Ordinal);

        Assert.All(await VerifyAsync(tampered), r => Assert.NotEqual("pass", r.Result));
    }

    [Fact]
    public async Task MissingKeyIsPermerrorAndDnsFailureIsTemperror()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), [keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa)]);
        var dns = new FakeDns();
        var checker = new DkimChecker(dns, new DkimOptions(), _time);
        Assert.Equal("permerror", Assert.Single(await checker.VerifyAsync(TestMessages.Parse(signed), TestContext.Current.CancellationToken)).Result);

        dns.Fail($"{keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa).Selector}._domainkey.example.org");
        Assert.Equal("temperror", Assert.Single(await checker.VerifyAsync(TestMessages.Parse(signed), TestContext.Current.CancellationToken)).Result);
    }

    [Fact]
    public async Task KeyBelowTheFloorIsRefusedAndAtTheFloorAccepted()
    {
        // The 2048-bit key passes at a floor of 2048 and fails at 2049: both sides of Dkim:MinimumRsaKeyBits.
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), [keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa)]);

        Assert.Equal("pass", Assert.Single(await VerifyAsync(signed, new DkimOptions { MinimumRsaKeyBits = 2048 })).Result);
        DkimSignatureResult refused = Assert.Single(await VerifyAsync(signed, new DkimOptions { MinimumRsaKeyBits = 2049 }));
        Assert.Equal("permerror", refused.Result);
        Assert.Contains("below 2049", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedKeyIsPermerror()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        DkimKey rsa = keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa);
        string signed = Sign(TestMessages.Simple(), [rsa]);
        var dns = new FakeDns().Txt($"{rsa.Selector}._domainkey.example.org", "v=DKIM1; k=rsa; p=");

        DkimSignatureResult result = Assert.Single(await new DkimChecker(dns, new DkimOptions(), _time).VerifyAsync(TestMessages.Parse(signed), TestContext.Current.CancellationToken));

        Assert.Equal("permerror", result.Result);
        Assert.Contains("revoked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyOfAnotherTypeThanTheSignaturesAlgorithmIsPermerror()
    {
        // RFC 6376 §3.6.1/§6.1.2: a key that does not fit a= is a PERMFAIL. A fuzzer found the RSA verifier given an
        // Ed25519 key throwing out of the check ("Not an RSA key").
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        DkimKey rsa = keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa);
        DkimKey ed25519 = keys.Single(k => k.Algorithm != DkimAlgorithm.Rsa);
        string signed = Sign(TestMessages.Simple(), [rsa]);
        var dns = new FakeDns().Txt($"{rsa.Selector}._domainkey.example.org", ed25519.TxtRecord);

        DkimSignatureResult result = Assert.Single(await new DkimChecker(dns, new DkimOptions(), _time).VerifyAsync(TestMessages.Parse(signed), TestContext.Current.CancellationToken));

        Assert.Equal("permerror", result.Result);
        Assert.Contains("does not fit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSignatureFailsAndFutureTimestampIsRefused()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), [keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa)]);
        long t = _time.GetUtcNow().ToUnixTimeSeconds();

        // x= and t= are signed, so rewriting them also breaks the signature; the time checks come first and say why.
        string expired = signed.Replace($"t={t};", $"t={t}; x={t + 10};", StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(11));
        DkimSignatureResult result = Assert.Single(await VerifyAsync(expired));
        Assert.Equal("fail", result.Result);
        Assert.Equal("signature expired", result.Reason);

        string future = signed.Replace($"t={t};", $"t={t + 3600};", StringComparison.Ordinal);
        Assert.Equal("permerror", Assert.Single(await VerifyAsync(future)).Result);
    }

    [Fact]
    public async Task LengthLimitedSignatureCoveringPartOfTheBodyIsPolicyNotPass()
    {
        // Sign a short body, then append content after it: l= equal to the signed part still verifies cryptographically.
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        DkimKey rsa = keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa);
        string signed = Sign(TestMessages.Simple(body: "Hello Bob.\n"), [rsa]);
        Assert.Equal("pass", Assert.Single(await VerifyAsync(signed)).Result);

        // "Hello Bob.\r\n" is 12 octets under relaxed canonicalization.
        string limited = signed.Replace("bh=", "l=12; bh=", StringComparison.Ordinal);
        DkimSignatureResult appended = Assert.Single(await VerifyAsync(limited + "Appended by someone else.\r\n"));
        Assert.NotEqual("pass", appended.Result);
    }

    [Fact]
    public async Task SignaturesPastTheLimitAreNotChecked()
    {
        (_, IReadOnlyList<DkimKey> keys) = KeysFor("example.org");
        string signed = Sign(TestMessages.Simple(), keys);

        IReadOnlyList<DkimSignatureResult> results = await VerifyAsync(signed, new DkimOptions { MaxSignaturesToVerify = 1 });

        Assert.Equal(["pass", "neutral"], results.Select(r => r.Result));
    }

    [Fact]
    public void SecondKeyOfAnAlgorithmWaitsForRotation()
    {
        var store = new DkimKeyStore(_directory);
        DkimKey first = store.Generate("example.org", DkimAlgorithm.Ed25519, "one", _time);
        DkimKey second = store.Generate("example.org", DkimAlgorithm.Ed25519, "two", _time);

        Assert.True(first.Active);
        Assert.False(second.Active);
        Assert.Equal("one", Assert.Single(store.SigningKeys("example.org")).Selector);

        File.SetLastWriteTimeUtc(second.Path, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("two", Assert.Single(store.Rotate("example.org")).Selector);
        Assert.Throws<ArgumentException>(() => store.Remove("example.org", "two"));
        store.Remove("example.org", "one");
        Assert.Equal(["two"], store.Keys("example.org").Select(k => k.Selector));
    }

    [Fact]
    public void KeyFilesAreReadableByTheOwnerOnly()
    {
        var store = new DkimKeyStore(_directory);
        DkimKey key = store.Generate("example.org", DkimAlgorithm.Ed25519, null, _time);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.Path));
        }

        Assert.StartsWith("v=DKIM1; k=ed25519; p=", key.TxtRecord, StringComparison.Ordinal);
    }
}

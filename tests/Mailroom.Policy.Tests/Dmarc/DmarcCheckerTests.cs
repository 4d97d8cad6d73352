using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Policy.Tests.Dmarc;

/// <summary>RFC 7489's alignment cases (§3.1, Appendix B), the subdomain policy, pct and the local policy.</summary>
public sealed class DmarcCheckerTests
{
    private static readonly PublicSuffixList Suffixes = new("/usr/share/publicsuffix/public_suffix_list.dat", new FakeTimeProvider());

    private static DmarcChecker Checker(FakeDns dns, DmarcOptions? options = null, int seed = 1) =>
        new(dns, Suffixes, options ?? new DmarcOptions(), new Random(seed));

    private static SpfVerdict SpfPass(string domain) => new(SpfResult.Pass, domain);

    private static DkimSignatureResult DkimPass(string domain) => new("pass", domain, "s", "rsa-sha256");

    private static Task<DmarcVerdict> CheckAsync(DmarcChecker checker, string from, SpfVerdict? spf, string spfDomain, params DkimSignatureResult[] dkim) =>
        checker.CheckAsync(from, spf, spfDomain, dkim, null, TestContext.Current.CancellationToken).AsTask();

    [Theory]
    [InlineData("example.com", "example.com", false, "pass")]
    [InlineData("example.com", "mail.example.com", false, "pass")]
    [InlineData("example.com", "mail.example.com", true, "fail")]
    [InlineData("news.example.com", "example.com", false, "pass")]
    [InlineData("news.example.com", "example.com", true, "fail")]
    [InlineData("example.com", "example.net", false, "fail")]
    public async Task SpfIdentifierAlignsAsRfc7489Says(string from, string mailFromDomain, bool strict, string expected)
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject" + (strict ? "; aspf=s" : ""));

        DmarcVerdict verdict = await CheckAsync(Checker(dns), from, SpfPass(mailFromDomain), mailFromDomain);

        Assert.Equal(expected, verdict.Result);
    }

    [Theory]
    [InlineData("example.com", "example.com", false, "pass")]
    [InlineData("example.com", "sub.example.com", false, "pass")]
    [InlineData("example.com", "sub.example.com", true, "fail")]
    [InlineData("example.co.uk", "other.co.uk", false, "fail")]
    public async Task DkimIdentifierAlignsAsRfc7489Says(string from, string signingDomain, bool strict, string expected)
    {
        var dns = new FakeDns().Txt("_dmarc." + from, "v=DMARC1; p=reject" + (strict ? "; adkim=s" : ""));

        DmarcVerdict verdict = await CheckAsync(Checker(dns), from, null, "", DkimPass(signingDomain));

        Assert.Equal(expected, verdict.Result);
    }

    [Fact]
    public async Task SubdomainTakesTheOrganizationalRecordsSubdomainPolicy()
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=none; sp=reject");

        DmarcVerdict sub = await CheckAsync(Checker(dns), "mail.example.com", null, "");
        DmarcVerdict top = await CheckAsync(Checker(dns), "example.com", null, "");

        Assert.Equal((DmarcPolicy.Reject, DmarcPolicy.Reject), (sub.Requested, sub.Disposition));
        Assert.Equal((DmarcPolicy.None, DmarcPolicy.None), (top.Requested, top.Disposition));
    }

    [Fact]
    public async Task PctZeroAppliesTheNextLowerPolicyAndPctHundredTheFullOne()
    {
        var none = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=0");
        var all = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=100");

        Assert.Equal(DmarcPolicy.Quarantine, (await CheckAsync(Checker(none), "example.com", null, "")).Disposition);
        Assert.Equal(DmarcPolicy.Reject, (await CheckAsync(Checker(all), "example.com", null, "")).Disposition);
    }

    [Fact]
    public async Task PctFiftySamplesRoughlyHalf()
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=quarantine; pct=50");
        DmarcChecker checker = Checker(dns, seed: 42);
        int quarantined = 0;
        for (int i = 0; i < 400; i++)
        {
            quarantined += (await CheckAsync(checker, "example.com", null, "")).Disposition == DmarcPolicy.Quarantine ? 1 : 0;
        }

        Assert.InRange(quarantined, 140, 260);
    }

    [Fact]
    public async Task NoRecordIsNoneAndDnsFailureIsTemperror()
    {
        Assert.Equal("none", (await CheckAsync(Checker(new FakeDns()), "example.com", null, "")).Result);
        DmarcVerdict failed = await CheckAsync(Checker(new FakeDns().Fail("_dmarc.example.com")), "example.com", null, "");
        Assert.Equal("temperror", failed.Result);
    }

    [Fact]
    public async Task TwoRecordsMeanNoPolicy()
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject").Txt("_dmarc.example.com", "v=DMARC1; p=none");

        Assert.Equal("none", (await CheckAsync(Checker(dns), "example.com", null, "")).Result);
    }

    [Fact]
    public async Task LocalPolicyCanTurnRejectIntoQuarantine()
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject");

        DmarcVerdict verdict = await CheckAsync(Checker(dns, new DmarcOptions { RejectPolicy = DmarcPolicy.Quarantine }), "example.com", null, "");

        Assert.Equal((DmarcPolicy.Reject, DmarcPolicy.Quarantine), (verdict.Requested, verdict.Disposition));
        Assert.Equal("p=reject dis=quarantine", verdict.Comment);
    }

    [Fact]
    public async Task AlignedTemperrorMarksARejectionAsWorthRetrying()
    {
        var dns = new FakeDns().Txt("_dmarc.example.com", "v=DMARC1; p=reject");

        DmarcVerdict verdict = await CheckAsync(Checker(dns), "example.com", new SpfVerdict(SpfResult.TempError, "example.com"), "example.com");

        Assert.Equal("fail", verdict.Result);
        Assert.True(verdict.MightPassLater);
    }

    [Fact]
    public void OrganizationalDomainFollowsThePublicSuffixList()
    {
        Assert.Equal("example.co.uk", Suffixes.OrganizationalDomain("mail.example.co.uk"));
        Assert.Equal("example.com", Suffixes.OrganizationalDomain("a.b.example.com"));
        Assert.True(Suffixes.RuleCount > 1000);
    }
}

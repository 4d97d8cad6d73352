using System.Net;
using Mailroom.Core;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Dnsbl;
using Mailroom.Policy.Tests.Support;
using Mailroom.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Policy.Tests.Dnsbl;

public sealed class DnsblCheckerTests
{
    private static readonly IPAddress Listed = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Clean = IPAddress.Parse("192.0.2.9");

    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _logs = new();

    private DnsblChecker Checker(IDnsResolver dns, Action<DnsblOptions>? configure = null, params string[] sites)
    {
        var options = new DnsblOptions { Sites = [.. sites] };
        configure?.Invoke(options);
        return new DnsblChecker(dns, options, _time, _logs);
    }

    private static FakeDns Zone() => new FakeDns()
        .A("2.2.0.192.bl.test", "127.0.0.2")
        .Txt("2.2.0.192.bl.test", "Listed: see https://bl.test/q?ip=192.0.2.2")
        .A("2.2.0.192.weak.test", "127.0.0.2")
        .A("2.2.0.192.wl.test", "127.0.9.3")
        .A("2.2.0.192.codes.test", "127.0.0.20");

    [Fact]
    public async Task AClientOnABlocklistIsBlockedWithTheListsTextAndALoggedRank()
    {
        DnsblVerdict verdict = await Checker(Zone(), null, "bl.test").CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.True(verdict.Blocked);
        Assert.Equal("bl.test", verdict.Zone);
        Assert.Equal("Listed: see https://bl.test/q?ip=192.0.2.2", verdict.Text);
        Assert.Contains("DNSBL rank 1 for [192.0.2.2] (bl.test)", _logs.Lines(MaillogCategories.Postscreen));
    }

    [Fact]
    public async Task AClientNoListNamesIsNotBlocked()
    {
        DnsblVerdict verdict = await Checker(Zone(), null, "bl.test").CheckAsync(Clean, TestContext.Current.CancellationToken);

        Assert.False(verdict.Blocked);
        Assert.Equal(0, verdict.Score);
        Assert.Empty(_logs.Lines(MaillogCategories.Postscreen));
    }

    [Fact]
    public async Task WeightsBelowTheThresholdDoNotBlockAndReachingItDoes()
    {
        DnsblVerdict below = await Checker(Zone(), o => o.Threshold = 3, "bl.test*2").CheckAsync(Listed, TestContext.Current.CancellationToken);
        DnsblVerdict reached = await Checker(Zone(), o => o.Threshold = 3, "bl.test*2", "weak.test").CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.False(below.Blocked);
        Assert.Equal(2, below.Score);
        Assert.True(reached.Blocked);
        Assert.Equal(3, reached.Score);
        Assert.Equal("bl.test", reached.Zone);
    }

    [Fact]
    public async Task AnAllowlistWithANegativeWeightCancelsABlocklist()
    {
        DnsblVerdict verdict = await Checker(Zone(), null, "bl.test", "wl.test=127.0.[0..255].[1..3]*-2").CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.False(verdict.Blocked);
        Assert.Equal(-1, verdict.Score);
    }

    [Fact]
    public async Task AnAnswerOutsideTheReplyFilterDoesNotCount()
    {
        DnsblVerdict outside = await Checker(Zone(), null, "codes.test=127.0.0.[2..11]").CheckAsync(Listed, TestContext.Current.CancellationToken);
        DnsblVerdict inside = await Checker(Zone(), null, "codes.test=127.0.0.[2..20]").CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.False(outside.Blocked);
        Assert.True(inside.Blocked);
    }

    [Fact]
    public async Task AFailingListIsSkippedAndLoggedWhileTheOthersStillDecide()
    {
        FakeDns dns = Zone().Fail("2.2.0.192.down.test");

        DnsblVerdict verdict = await Checker(dns, null, "down.test*5", "bl.test").CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.True(verdict.Blocked);
        Assert.Equal(1, verdict.Score);
        Assert.Contains(_logs.Lines(MaillogCategories.Postscreen), l => l.StartsWith("warning: dnsblog_query: lookup error for DNS query 2.2.0.192.down.test: SERVFAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AListThatNeverAnswersIsSkippedAfterTheTimeout()
    {
        var hanging = new HangingDns();
        DnsblChecker checker = Checker(hanging, o => o.Timeout = TimeSpan.FromSeconds(10), "slow.test");

        Task<DnsblVerdict> check = checker.CheckAsync(Listed, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(check.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        DnsblVerdict verdict = await check;

        Assert.False(verdict.Blocked);
        Assert.Contains(_logs.Lines(MaillogCategories.Postscreen), l => l.Contains("2.2.0.192.slow.test: no answer within", StringComparison.Ordinal));
        Assert.Equal(0, checker.CachedCount);
    }

    [Fact]
    public async Task AVerdictIsReusedForItsTtlAndAskedAgainAfterIt()
    {
        FakeDns dns = Zone();
        dns.Ttl = TimeSpan.FromSeconds(60);
        DnsblChecker checker = Checker(dns, null, "bl.test");

        await checker.CheckAsync(Listed, TestContext.Current.CancellationToken);
        int asked = dns.Questions.Count;
        _time.Advance(TimeSpan.FromSeconds(59));
        DnsblVerdict cached = await checker.CheckAsync(Listed, TestContext.Current.CancellationToken);
        Assert.Equal(asked, dns.Questions.Count);
        Assert.True(cached.Blocked);

        _time.Advance(TimeSpan.FromSeconds(2));
        await checker.CheckAsync(Listed, TestContext.Current.CancellationToken);
        Assert.True(dns.Questions.Count > asked);
    }

    [Fact]
    public async Task ANegativeAnswerWithoutTtlIsReusedForTheNegativeCacheTtl()
    {
        FakeDns dns = Zone();
        DnsblChecker checker = Checker(dns, o => o.NegativeCacheTtl = TimeSpan.FromSeconds(30), "bl.test");

        await checker.CheckAsync(Clean, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(29));
        await checker.CheckAsync(Clean, TestContext.Current.CancellationToken);
        Assert.Single(dns.Questions);

        _time.Advance(TimeSpan.FromSeconds(2));
        await checker.CheckAsync(Clean, TestContext.Current.CancellationToken);
        Assert.Equal(2, dns.Questions.Count);
    }

    [Fact]
    public async Task AVerdictWithAFailedListIsNotRemembered()
    {
        FakeDns dns = Zone().Fail("9.2.0.192.down.test");
        DnsblChecker checker = Checker(dns, null, "down.test", "bl.test");

        await checker.CheckAsync(Clean, TestContext.Current.CancellationToken);
        await checker.CheckAsync(Clean, TestContext.Current.CancellationToken);

        Assert.Equal(4, dns.Questions.Count);
        Assert.Equal(0, checker.CachedCount);
    }

    [Fact]
    public async Task TheCacheNeverHoldsMoreVerdictsThanItsSize()
    {
        FakeDns dns = Zone();
        DnsblChecker checker = Checker(dns, o => o.CacheSize = 10, "bl.test");

        for (int i = 1; i <= 10; i++)
        {
            await checker.CheckAsync(IPAddress.Parse($"198.51.100.{i}"), TestContext.Current.CancellationToken);
        }

        Assert.Equal(10, checker.CachedCount);
        for (int i = 11; i <= 60; i++)
        {
            await checker.CheckAsync(IPAddress.Parse($"198.51.100.{i}"), TestContext.Current.CancellationToken);
            Assert.True(checker.CachedCount <= 10);
        }
    }

    [Fact]
    public async Task AnIpv6ClientIsLookedUpByItsNibbles()
    {
        FakeDns dns = new FakeDns().A("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test", "127.0.0.2");

        DnsblVerdict verdict = await Checker(dns, null, "bl.test").CheckAsync(IPAddress.Parse("2001:db8::1"), TestContext.Current.CancellationToken);

        Assert.True(verdict.Blocked);
        Assert.Null(verdict.Text);
    }

    [Fact]
    public void ControlCharactersInAListsTextAreMadePrintableAndLongTextCut()
    {
        Assert.Equal("bad??text?here", DnsblChecker.Printable("bad\r\ntext\0here"));
        Assert.Equal(200, DnsblChecker.Printable(new string('x', 5000))!.Length);
    }

    [Fact]
    public async Task WithoutListsNothingIsAsked()
    {
        FakeDns dns = Zone();
        DnsblChecker checker = Checker(dns);

        DnsblVerdict verdict = await checker.CheckAsync(Listed, TestContext.Current.CancellationToken);

        Assert.False(checker.Enabled);
        Assert.False(verdict.Blocked);
        Assert.Empty(dns.Questions);
    }

    private sealed class HangingDns : IDnsResolver
    {
        public async ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException();
        }

        public async ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException();
        }

        public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

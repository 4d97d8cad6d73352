using System.Net;
using System.Text;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Mailroom.Policy.Tests.Arc;

/// <summary>
/// RFC 8617 §7.2: a forwarded message that fails DMARC (a list changed it and sent it from its own address) passes
/// when its valid ARC chain was sealed by a sealer this server trusts and that sealer saw DMARC pass.
/// </summary>
public sealed class ArcTrustedSealerTests : IDisposable
{
    private static readonly Lazy<(string Directory, DkimKey Key)> ListKey = new(() =>
    {
        string directory = Path.Combine(Path.GetTempPath(), "mailroom-arc-" + Guid.NewGuid().ToString("N"));
        DkimKey key = new DkimKeyStore(directory).Generate("lists.test", DkimAlgorithm.Ed25519, "arc", TimeProvider.System);
        return (directory, key);
    });

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_727_776_800));
    private readonly FakeDns _dns = new();

    public ArcTrustedSealerTests()
    {
        DkimKey key = ListKey.Value.Key;
        _dns.Txt($"{key.Selector}._domainkey.{key.Domain}", key.TxtRecord)
            .Txt("sender.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("_dmarc.sender.test", "v=DMARC1; p=reject")
            .Txt("lists.test", "v=spf1 ip4:198.51.100.0/24 -all");
    }

    public void Dispose()
    {
    }

    private async Task<string> SealedByListAsync()
    {
        // What the list received (and checked: DMARC pass), then changed (subject tag) and sealed.
        MimeMessage message = TestMessages.Parse(
            "Authentication-Results: mx.lists.test; spf=pass smtp.mailfrom=ann@sender.test; dmarc=pass header.from=sender.test; arc=none\n" +
            "From: Ann <ann@sender.test>\nTo: list@lists.test\nSubject: [list] hello\nDate: Tue, 1 Oct 2024 10:00:00 +0000\nMessage-ID: <a@sender.test>\n\nBody.\n");
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        Assert.True(await ArcSealer.SealAsync(message, format, ListKey.Value.Key, "mx.lists.test", _time.GetUtcNow(), TestContext.Current.CancellationToken));
        return TestMessages.Serialize(message);
    }

    private InboundChecker Checker(params string[] trusted) => new(
        _dns, new SpfOptions(), new DkimOptions(), new DmarcOptions(), new ArcOptions { TrustedSealers = [.. trusted] },
        new PublicSuffixList("/usr/share/publicsuffix/public_suffix_list.dat", _time), _time, NullLoggerFactory.Instance);

    private async Task<InboundDecision> CheckAsync(InboundChecker checker, string message) =>
        await checker.CheckAsync("ABCDEF123456", IPAddress.Parse("198.51.100.7"), "mx.lists.test", "list-bounces@lists.test", "mx.local.test",
            new MemoryStream(Encoding.UTF8.GetBytes(message)), TestContext.Current.CancellationToken);

    [Fact]
    public async Task TrustedSealerVouchingForDmarcPassOverridesTheFailure()
    {
        InboundDecision decision = await CheckAsync(Checker("lists.test"), await SealedByListAsync());

        Assert.Equal(InboundAction.Accept, decision.Action);
        Assert.Equal(("pass", "arc"), (decision.Results.Dmarc!.Result, decision.Results.Dmarc.Override));
        Assert.Equal("pass", decision.Results.Arc!.Result);
        Assert.Contains("dmarc=pass (p=reject dis=none override=arc) header.from=sender.test", decision.HeaderPrefix, StringComparison.Ordinal);
        Assert.Contains("arc=pass (i=1 d=lists.test)", decision.HeaderPrefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UntrustedSealerDoesNotSaveTheMessageFromRejection()
    {
        InboundDecision decision = await CheckAsync(Checker(), await SealedByListAsync());

        Assert.Equal(InboundAction.Reject, decision.Action);
        Assert.Equal((550, "5.7.1"), (decision.ReplyCode, decision.ReplyDsn));
    }

    [Fact]
    public async Task BrokenChainIsFailAndDoesNotVouch()
    {
        string tampered = (await SealedByListAsync()).Replace("Body.", "Changed after sealing.", StringComparison.Ordinal);

        InboundDecision decision = await CheckAsync(Checker("lists.test"), tampered);

        Assert.Equal("fail", decision.Results.Arc!.Result);
        Assert.Equal(InboundAction.Reject, decision.Action);
    }

    [Fact]
    public async Task DnsFailureOnAnAlignedIdentifierDefersInsteadOfRejecting()
    {
        var dns = new FakeDns().Fail("sender.test").Txt("_dmarc.sender.test", "v=DMARC1; p=reject");
        var checker = new InboundChecker(dns, new SpfOptions(), new DkimOptions(), new DmarcOptions(), new ArcOptions(),
            new PublicSuffixList("/usr/share/publicsuffix/public_suffix_list.dat", _time), _time, NullLoggerFactory.Instance);
        string message = "From: <ann@sender.test>\r\nSubject: x\r\n\r\nBody.\r\n";

        InboundDecision decision = await checker.CheckAsync("ABCDEF123456", IPAddress.Parse("192.0.2.1"), "mail.sender.test", "ann@sender.test", "mx.local.test",
            new MemoryStream(Encoding.UTF8.GetBytes(message)), TestContext.Current.CancellationToken);

        Assert.Equal(InboundAction.Defer, decision.Action);
        Assert.Equal((451, "4.7.1"), (decision.ReplyCode, decision.ReplyDsn));
        Assert.Contains("spf=temperror", decision.HeaderPrefix, StringComparison.Ordinal);
    }
}

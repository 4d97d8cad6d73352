using System.Net;
using Mailroom.Policy;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Mailroom.Smtp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// Port-25 mail whose authentication checks fail on something they cannot parse is refused, not let through unchecked
/// (a forged From would otherwise pass DMARC p=reject): <c>550 5.6.0</c>, and nothing is queued.
/// </summary>
public sealed class UncheckableMessageTests
{
    [Fact]
    public async Task AParseFailureInTheChecksIsRefusedWith550560AndNothingIsQueued()
    {
        var policy = new InboundChecker(new UnparseableAnswers(), new SpfOptions(), new DkimOptions(), new DmarcOptions(), new ArcOptions(),
            new PublicSuffixList("/nonexistent/public_suffix_list.dat", TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(configure: o => o.TrustedNetworks.Clear(), policy: policy);
        await using RawClient client = await ErrorPathTests.Greeted(server);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<ceo@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<samt@example.org>"), StringComparison.Ordinal);
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));

        Assert.Equal("550 5.6.0 Error: message header could not be parsed", await client.RawAsync("From: ceo@example.test\r\nSubject: s\r\n\r\nbody\r\n.\r\n"));

        Assert.False(Assert.Single(server.Submitter.Submissions).Committed);
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    /// <summary>Every answer is one the checks cannot read: the first lookup (SPF's TXT) throws a FormatException.</summary>
    private sealed class UnparseableAnswers : IDnsResolver
    {
        public ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken) => throw new FormatException("unreadable TXT record");

        public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken) => throw new FormatException("unreadable address");

        public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) => throw new FormatException("unreadable MX");

        public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) => throw new FormatException("unreadable PTR");
    }
}

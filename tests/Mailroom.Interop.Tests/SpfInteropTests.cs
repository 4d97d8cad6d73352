using System.Globalization;
using System.Net;
using Mailroom.Interop.Tests.Support;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Microsoft.Extensions.Options;

namespace Mailroom.Interop.Tests;

/// <summary>
/// SPF results agree with pyspf (python3-spf) over a table of policies served by dnsmasq: mechanisms, include,
/// redirect, macros, the DNS-lookup and void-lookup limits, IPv6, ptr, the HELO identity and syntax errors.
/// </summary>
public sealed class SpfInteropTests
{
    private const string PySpf = """
        import sys, spf, dns.resolver
        r = dns.resolver.Resolver(configure=False)
        r.nameservers = ['127.0.0.1']
        r.port = int(sys.argv[1])
        dns.resolver.default_resolver = r
        for line in sys.stdin:
            ip, sender, helo = line.split()
            result = spf.check2(i=ip, s='' if sender == '-' else sender, h=helo, receiver='mx.example.test')
            print(result[0])
        """;

    private static readonly (string Ip, string Sender, string Helo)[] Cases =
    [
        ("192.0.2.10", "ann@a.spf.test", "mail.a.spf.test"),
        ("198.51.100.1", "ann@a.spf.test", "mail.a.spf.test"),
        ("192.0.2.10", "ann@inc.spf.test", "x.test"),
        ("198.51.100.1", "ann@inc.spf.test", "x.test"),
        ("192.0.2.99", "ann@redir.spf.test", "x.test"),
        ("198.51.100.7", "ann@mx.spf.test", "x.test"),
        ("198.51.100.8", "ann@mx.spf.test", "x.test"),
        ("203.0.113.14", "ann@amech.spf.test", "x.test"),
        ("203.0.113.17", "ann@amech.spf.test", "x.test"),
        ("192.0.2.10", "ann@macro.spf.test", "x.test"),
        ("192.0.2.10", "bob@macro.spf.test", "x.test"),
        ("2001:db8::25", "ann@v6.spf.test", "x.test"),
        ("2001:db9::25", "ann@v6.spf.test", "x.test"),
        ("192.0.2.10", "ann@limit.spf.test", "x.test"),
        ("192.0.2.10", "ann@void.spf.test", "x.test"),
        ("192.0.2.10", "ann@void2.spf.test", "x.test"),
        ("192.0.2.10", "ann@neutral.spf.test", "x.test"),
        ("192.0.2.10", "ann@soft.spf.test", "x.test"),
        ("192.0.2.10", "ann@nospf.spf.test", "x.test"),
        ("192.0.2.10", "ann@bad.spf.test", "x.test"),
        ("192.0.2.10", "ann@two.spf.test", "x.test"),
        ("192.0.2.20", "ann@ptr.spf.test", "x.test"),
        ("192.0.2.21", "ann@ptr.spf.test", "x.test"),
        ("192.0.2.30", "-", "helo.spf.test"),
        ("192.0.2.31", "-", "helo.spf.test"),
        ("192.0.2.10", "ann@exp.spf.test", "x.test"),
        ("192.0.2.10", "ann@loop.spf.test", "x.test"),
        ("192.0.2.10", "ann@badredir.spf.test", "x.test"),
    ];

    [Fact]
    public async Task ResultsAgreeWithPyspfOverThePolicyTable()
    {
        await using TestDnsServer dns = await Zone().StartAsync();
        string input = string.Concat(Cases.Select(c => $"{c.Ip} {c.Sender} {c.Helo}\n"));
        ProcessResult pyspf = await DebianPython.RunAsync(PySpf, [dns.Port.ToString(CultureInfo.InvariantCulture)], input);
        Assert.True(pyspf.ExitCode == 0, pyspf.ToString());
        string[] theirs = pyspf.StandardOutput.Trim().Split('\n');

        var checker = new SpfChecker(new DnsResolver(Options.Create(new DnsOptions { Servers = [dns.Server] })), new SpfLimits(), TimeProvider.System);
        var disagreements = new List<string>();
        for (int i = 0; i < Cases.Length; i++)
        {
            (string ip, string sender, string helo) = Cases[i];
            SpfVerdict ours = await checker.CheckMailFromAsync(IPAddress.Parse(ip), sender == "-" ? "" : sender, helo, "mx.example.test", TestContext.Current.CancellationToken);
            if (ours.Keyword != theirs[i].Trim())
            {
                disagreements.Add($"{ip} {sender} {helo}: ours {ours.Keyword} ({ours.Problem}), pyspf {theirs[i]}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
        Assert.Contains("permerror", theirs);
        Assert.Contains("pass", theirs);
        Assert.Contains("fail", theirs);
    }

    private static TestDnsServer Zone()
    {
        var dns = new TestDnsServer()
            .Txt("a.spf.test", "v=spf1 ip4:192.0.2.0/24 -all")
            .Txt("inc.spf.test", "v=spf1 include:a.spf.test ~all")
            .Txt("redir.spf.test", "v=spf1 redirect=a.spf.test")
            .Txt("mx.spf.test", "v=spf1 mx -all").Mx("mx.spf.test", "mail.mx.spf.test", 10).Address("mail.mx.spf.test", "198.51.100.7")
            .Txt("amech.spf.test", "v=spf1 a:host.spf.test/28 -all").Address("host.spf.test", "203.0.113.5")
            .Txt("macro.spf.test", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all").Address("10.2.0.192.ann._spf.macro.spf.test", "127.0.0.2")
            .Txt("v6.spf.test", "v=spf1 ip6:2001:db8::/32 -all")
            .Txt("limit.spf.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(n => $"a:n{n}.spf.test")) + " -all")
            .Txt("void.spf.test", "v=spf1 a:nx1.spf.test a:nx2.spf.test a:nx3.spf.test -all")
            .Txt("void2.spf.test", "v=spf1 a:nx1.spf.test a:nx2.spf.test -all")
            .Txt("neutral.spf.test", "v=spf1 ?all")
            .Txt("soft.spf.test", "v=spf1 ~all")
            .Address("nospf.spf.test", "192.0.2.10")
            .Txt("bad.spf.test", "v=spf1 ip4:300.1.1.1 -all")
            .Txt("two.spf.test", "v=spf1 -all").Txt("two.spf.test", "v=spf1 +all")
            .Txt("ptr.spf.test", "v=spf1 ptr -all").Ptr("192.0.2.20", "host.ptr.spf.test").Address("host.ptr.spf.test", "192.0.2.20")
            .Ptr("192.0.2.21", "liar.ptr.spf.test").Address("liar.ptr.spf.test", "192.0.2.99")
            .Txt("helo.spf.test", "v=spf1 ip4:192.0.2.30 -all")
            .Txt("exp.spf.test", "v=spf1 -all exp=explain.spf.test").Txt("explain.spf.test", "%{i} is not allowed to send for %{d}")
            .Txt("loop.spf.test", "v=spf1 include:loop.spf.test -all")
            .Txt("badredir.spf.test", "v=spf1 redirect=nospf.spf.test");
        for (int n = 1; n <= 11; n++)
        {
            dns.Address($"n{n}.spf.test", $"10.0.0.{n}");
        }

        return dns;
    }
}

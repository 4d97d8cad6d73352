using System.Text;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// DMARC (RFC 7489) of untrusted text: policy records (§6.3, §6.4), organizational domains of RFC5322.From domains by
/// the Public Suffix List (§3.2, with a small list of exact, wildcard and exception rules), and whole evaluations over
/// a zone. The input is lines: the From domain, then records published at <c>_dmarc.</c> and the From domain.
/// Invariants: a parsed record has a policy and a percentage of 0 to 100; an organizational domain is the domain itself
/// or a label-aligned suffix of it, and its own organizational domain; an evaluation never throws and gives an
/// RFC 8601 keyword.
/// </summary>
internal sealed class DmarcTarget : FuzzTarget
{
    private static readonly string[] Keywords = ["pass", "fail", "none", "temperror", "permerror"];

    private string? _suffixFile;
    private PublicSuffixList? _suffixes;

    public override string Name => "policy-dmarc";

    public override string Description => "DMARC records, organizational domains (Public Suffix List) and evaluation";

    public override int MaxLength => 16 * 1024;

    public override string? Dictionary => "policy.dict";

    public override void Warm()
    {
        if (_suffixes is not null)
        {
            return;
        }

        _suffixFile = Path.Combine(Path.GetTempPath(), $"mailroom-fuzz-psl-{Environment.ProcessId}.dat");
        File.WriteAllText(_suffixFile, "// fuzz list\norg\nexample\nco.uk\nuk\n*.ck\n!www.ck\n*.kawasaki.jp\n!city.kawasaki.jp\nxn--p1ai\n");
        _suffixes = new PublicSuffixList(_suffixFile, TimeProvider.System);
        _ = _suffixes.RuleCount;
    }

    public override void Run(ReadOnlySpan<byte> input)
    {
        Warm();
        string[] lines = Encoding.UTF8.GetString(input).Split('\n');
        string from = lines[0].TrimEnd('\r');
        var dns = new ZoneDns(System.Net.IPAddress.Loopback);
        foreach (string line in lines.Skip(1))
        {
            string text = line.TrimEnd('\r');
            dns.AddTxt("_dmarc." + from.TrimEnd('.').ToLowerInvariant(), text);
            if (DmarcRecord.TryParse(text) is { } record && (record.Percent is < 0 or > 100 || !Enum.IsDefined(record.Policy)))
            {
                throw new FuzzFailureException($"record \"{text}\" parsed to p={record.Policy} pct={record.Percent}");
            }
        }

        string domain = from.TrimEnd('.').ToLowerInvariant();
        string organization = _suffixes!.OrganizationalDomain(from);
        if (organization != domain && !domain.EndsWith("." + organization, StringComparison.Ordinal))
        {
            throw new FuzzFailureException($"the organizational domain of {domain} is {organization}");
        }

        if (_suffixes.OrganizationalDomain(organization) != organization)
        {
            throw new FuzzFailureException($"the organizational domain of {domain} is {organization}, whose own is {_suffixes.OrganizationalDomain(organization)}");
        }

        var checker = new DmarcChecker(dns, _suffixes, new DmarcOptions(), new Random(7489));
        DkimSignatureResult[] dkim = [new("pass", from, "sel", "rsa-sha256"), new("temperror", "fail." + from, "sel", "ed25519-sha256")];
        var spf = new SpfVerdict(SpfResult.Fail, from);
        DmarcVerdict verdict = checker.CheckAsync(from.Length == 0 ? null : from, spf, "mail." + from, dkim, arcVouch: null, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        if (!Keywords.Contains(verdict.Result))
        {
            throw new FuzzFailureException($"DMARC result {verdict.Result}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_suffixFile is not null)
        {
            File.Delete(_suffixFile);
            _suffixFile = null;
        }

        base.Dispose(disposing);
    }
}

using System.Net;
using System.Text;
using Mailroom.Policy.Spf;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// SPF (RFC 7208) of untrusted records: the record parser, macro expansion of every domain-spec and of explanations,
/// and whole <c>check_host()</c> evaluations over a zone the input wrote (include and redirect loops, void lookups,
/// mx and ptr fan-out). The input is lines: the MAIL FROM sender (at most 256 octets, as RFC 5321 §4.5.3.1.3 allows),
/// the HELO name, then zone lines "name TXT-text"; the first byte's low bit makes the client IPv6. Invariants: the
/// parser accepts or refuses with a reason and never throws; a parsed record's terms are among its words; a
/// domain-spec expands to at most 253 octets unless it has no label boundary left (§7.3); an evaluation ends within
/// the limits of §4.6.4 in DNS questions, and its explanation is printable text of bounded length.
/// </summary>
internal sealed class SpfTarget : FuzzTarget
{
    private static readonly SpfLimits Limits = new();

    public override string Name => "policy-spf";

    public override string Description => "SPF records: parser, macro expansion, check_host() over a fuzzed zone";

    public override int MaxLength => 16 * 1024;

    public override string? Dictionary => "policy.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        IPAddress client = (input[0] & 1) != 0 ? IPAddress.Parse("2001:db8::25") : IPAddress.Parse("192.0.2.25");
        string[] lines = Encoding.UTF8.GetString(input[1..]).Split('\n');
        string sender = Printable(lines[0], 256);
        string helo = Printable(lines.Length > 1 ? lines[1] : "", 255);
        var dns = new ZoneDns(client);
        foreach (string line in lines.Skip(2))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                string text = line[(space + 1)..].TrimEnd('\r');
                dns.AddTxt(line[..space], text);
                CheckRecord(text, client, sender, helo, dns);
            }
        }

        var checker = new SpfChecker(dns, Limits, TimeProvider.System);
        int before = dns.Questions;
        SpfVerdict verdict = checker.CheckMailFromAsync(client, sender, helo, "mx.example.org", CancellationToken.None).AsTask().GetAwaiter().GetResult();
        int asked = dns.Questions - before;

        // Each DNS-querying term (and redirect) asks at most 1 + MaxNameLookups questions; the record, the p macro and
        // the explanation add a bounded few.
        int allowed = ((Limits.MaxDnsTerms + 2) * (Limits.MaxNameLookups + 2)) + Limits.MaxNameLookups + 4;
        if (asked > allowed)
        {
            throw new FuzzFailureException($"one evaluation asked {asked} DNS questions (allowed {allowed})");
        }

        if (verdict.Explanation is { } explanation)
        {
            if (verdict.Result != SpfResult.Fail)
            {
                throw new FuzzFailureException($"an explanation with the result {verdict.Keyword}");
            }

            if (explanation.Any(static c => char.IsControl(c)))
            {
                throw new FuzzFailureException("the explanation, sent in the SMTP reply, holds a control character");
            }

            if (explanation.Length > SpfMacro.MaxExplanationLength)
            {
                throw new FuzzFailureException($"an explanation of {explanation.Length} characters");
            }
        }
    }

    private static void CheckRecord(string text, IPAddress client, string sender, string helo, ZoneDns dns)
    {
        if (!SpfRecordParser.IsSpfRecord(text))
        {
            return;
        }

        bool parsed = SpfRecordParser.TryParse(text, out SpfRecord? record, out string? error);
        if (parsed != (record is not null) || parsed == (error is not null))
        {
            throw new FuzzFailureException($"TryParse said {parsed} with record {record} and error {error}");
        }

        if (record is null)
        {
            return;
        }

        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (record.Terms.Count >= words.Length || record.Terms.Any(t => !words.Contains(t.Text, StringComparer.Ordinal)))
        {
            throw new FuzzFailureException($"a record of {words.Length} words parsed to {record.Terms.Count} terms, not all of them its words");
        }

        int at = sender.LastIndexOf('@');
        var context = new SpfContext(dns, client, at <= 0 ? "postmaster@" + sender[(at + 1)..] : sender, helo, "mx.example.org", DateTimeOffset.UnixEpoch, Limits);
        IEnumerable<string> specs = record.Terms.Select(static t => t.DomainSpec).Append(record.Redirect).Append(record.Explanation).OfType<string>();
        foreach (string spec in specs)
        {
            string expanded = SpfMacro.ExpandAsync(spec, context, "example.org", explanation: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (expanded.Length > 253 && expanded.Contains('.', StringComparison.Ordinal))
            {
                throw new FuzzFailureException($"a domain-spec expanded to {expanded.Length} octets with labels left to drop (RFC 7208 §7.3)");
            }
        }

        // The whole record read as an explanation's macro-string, where it is one (c, r and t allowed).
        if (SpfMacro.IsValidMacroString(text, explanation: true))
        {
            string explained = SpfMacro.ExpandAsync(text, context, "example.org", explanation: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (explained.Length > SpfMacro.MaxExplanationLength)
            {
                throw new FuzzFailureException($"an explanation expanded to {explained.Length} characters");
            }
        }
    }

    /// <summary>What an SMTP command line can carry: no control characters, and a bounded length.</summary>
    private static string Printable(string text, int maxLength)
    {
        string printable = new([.. text.Where(static c => !char.IsControl(c))]);
        return printable.Length > maxLength ? printable[..maxLength] : printable;
    }
}

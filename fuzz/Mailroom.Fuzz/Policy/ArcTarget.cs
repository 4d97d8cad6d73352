using System.Text;
using Mailroom.Policy.Arc;
using MimeKit;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// ARC (RFC 8617) of untrusted header fields: a message whose header is the input (ARC-Seal, ARC-Message-Signature,
/// ARC-Authentication-Results and anything else, in any order and number) verified with the checker's key locator over
/// a zone of the input's key records (lines starting "key "), then asked whether a trusted sealer vouches for its From
/// domain. Invariants: verification never throws; the result is pass, fail, none or temperror; the sets it lists are
/// the ARC-Seal fields with an instance, oldest first; a vouch names a trusted sealer and only for a passing chain.
/// </summary>
internal sealed class ArcTarget : FuzzTarget
{
    private static readonly string[] Keywords = ["pass", "fail", "none", "temperror"];
    private static readonly ArcOptions Options = new() { TrustedSealers = ["example.org", "forwarder.example"] };

    public override string Name => "policy-arc";

    public override string Description => "ARC chains of fuzzed ARC-Seal/ARC-Message-Signature/ARC-Authentication-Results fields";

    public override int MaxLength => 16 * 1024;

    public override string? Dictionary => "policy.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var dns = new ZoneDns(System.Net.IPAddress.Loopback);
        var header = new StringBuilder();
        foreach (string raw in Encoding.UTF8.GetString(input).Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("key ", StringComparison.Ordinal) && line.IndexOf(' ', 4) is int space and > 4)
            {
                dns.AddTxt(line[4..space], line[(space + 1)..]);
                continue;
            }

            header.Append(line).Append("\r\n");
        }

        string message = header.Append("\r\nbody\r\n").ToString();
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(message), writable: false);
        using MimeMessage? parsed = Load(content);
        if (parsed is null)
        {
            return;
        }

        var checker = new ArcChecker(dns, Options, 1024);
        ArcVerdict verdict = checker.VerifyAsync(parsed, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (!Keywords.Contains(verdict.Result))
        {
            throw new FuzzFailureException($"ARC result {verdict.Result}");
        }

        int seals = parsed.Headers.Count(static h => h.Id == HeaderId.ArcSeal);
        if (verdict.Hops.Count > seals)
        {
            throw new FuzzFailureException($"{verdict.Hops.Count} ARC sets from {seals} ARC-Seal fields");
        }

        for (int i = 1; i < verdict.Hops.Count; i++)
        {
            if (verdict.Hops[i].Instance < verdict.Hops[i - 1].Instance)
            {
                throw new FuzzFailureException("ARC sets out of instance order");
            }
        }

        string? vouch = checker.TrustedVouch(verdict, "example.com");
        if (vouch is not null && (verdict.Result != "pass" || !Options.TrustedSealers.Contains(vouch, StringComparer.OrdinalIgnoreCase)))
        {
            throw new FuzzFailureException($"{vouch} vouched for a chain whose result is {verdict.Result}");
        }
    }

    /// <summary>
    /// The message as the checks read it; null when MimeKit cannot (the SMTP server then logs the failure and takes the
    /// message without the checks' fields, MessageTransaction's documented path).
    /// </summary>
    private static MimeMessage? Load(Stream content)
    {
        try
        {
            return MimeMessage.Load(content);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

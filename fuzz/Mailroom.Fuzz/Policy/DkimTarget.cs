using System.Text;
using Mailroom.Policy.Dkim;
using MimeKit;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// DKIM (RFC 6376) of untrusted text: the tag=value lists of DKIM-Signature fields and key records (§3.2), the key
/// record checks of the key locator (§3.6.1, RFC 8301), and the verification of a message carrying the fuzzed
/// signature against the fuzzed key. The input is lines: the DKIM-Signature value, the key record published at its
/// <c>s=</c> and <c>d=</c>, then the body. Invariants: tag lists hold names without blanks and values without white
/// space, no more tags than fields; the locator returns a key or refuses with <see cref="DkimKeyLookupException"/>;
/// verification never throws and gives one result per signature, with an RFC 8601 keyword and at most 8 characters of
/// <c>b=</c>.
/// </summary>
internal sealed class DkimTarget : FuzzTarget
{
    private static readonly string[] Keywords = ["pass", "fail", "neutral", "policy", "temperror", "permerror"];

    public override string Name => "policy-dkim";

    public override string Description => "DKIM tag lists, key records and verification of a fuzzed signature";

    public override int MaxLength => 16 * 1024;

    public override string? Dictionary => "policy.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string[] lines = Encoding.UTF8.GetString(input).Split('\n', 3);
        string signature = lines[0].TrimEnd('\r');
        string keyRecord = lines.Length > 1 ? lines[1].TrimEnd('\r') : "";
        string body = lines.Length > 2 ? lines[2] : "";
        Dictionary<string, string> tags = CheckTags(signature);
        CheckTags(keyRecord);

        var dns = new ZoneDns(System.Net.IPAddress.Loopback);
        string selector = tags.GetValueOrDefault("s") ?? "sel";
        string domain = tags.GetValueOrDefault("d") ?? "example.org";
        dns.AddTxt($"{selector}._domainkey.{domain}", keyRecord);
        var locator = new DnsDkimKeyLocator(dns, 1024, new DkimKeyCache());
        try
        {
            _ = locator.LocatePublicKey("dns/txt", domain, selector);
        }
        catch (DkimKeyLookupException)
        {
            // Refused with a reason: the signature's result is permerror or temperror.
        }

        // The field as a signer folds it is one line; a fuzzed one may not even be a field value, and is sent as it is.
        string message = $"DKIM-Signature: {signature.Replace("\r", "", StringComparison.Ordinal)}\r\nFrom: a@example.org\r\nSubject: x\r\n\r\n{body}";
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(message), writable: false);
        using MimeMessage? parsed = Load(content);
        if (parsed is null)
        {
            return;
        }

        int signatures = parsed.Headers.Count(static h => h.Id == HeaderId.DkimSignature);
        var checker = new DkimChecker(dns, new DkimOptions(), TimeProvider.System);
        IReadOnlyList<DkimSignatureResult> results = checker.VerifyAsync(parsed, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (results.Count != signatures)
        {
            throw new FuzzFailureException($"{results.Count} results for {signatures} signatures");
        }

        foreach (DkimSignatureResult result in results)
        {
            if (!Keywords.Contains(result.Result) || result.HeaderB.Length > 8)
            {
                throw new FuzzFailureException($"a signature's result is {result.Result} with header.b {result.HeaderB}");
            }
        }
    }

    private static Dictionary<string, string> CheckTags(string text)
    {
        Dictionary<string, string> tags = DkimTags.Parse(text);
        if (tags.Count > text.Count(static c => c == ';') + 1)
        {
            throw new FuzzFailureException($"{tags.Count} tags from a list of {text.Count(static c => c == ';') + 1} fields");
        }

        foreach ((string name, string value) in tags)
        {
            if (name.Length == 0 || name != name.Trim() || value.Any(char.IsWhiteSpace))
            {
                throw new FuzzFailureException($"tag \"{name}\" = \"{value}\" keeps white space or has no name");
            }
        }

        return tags;
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

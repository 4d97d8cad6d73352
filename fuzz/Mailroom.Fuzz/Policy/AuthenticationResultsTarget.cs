using System.Text;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Authentication;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;
using MimeKit.Cryptography;

namespace Mailroom.Fuzz.Policy;

/// <summary>
/// The Authentication-Results and Received-SPF fields (RFC 8601, RFC 7208 §9.1) written in front of every checked
/// message, from values a sender chose: HELO, MAIL FROM, the d=, s=, a= and b= of its signatures, its From domain and
/// ARC sealer. The input is fields separated by NUL. Invariants: the text is header fields ending in CRLF, folded only
/// by CRLF and a tab, with no other CR, LF or NUL (a sender cannot add a field of its own); MimeKit reads the
/// Authentication-Results field back with this server's authserv-id and each method with its result, in order.
/// </summary>
internal sealed class AuthenticationResultsTarget : FuzzTarget
{
    private const string AuthservId = "mx.example.org";

    public override string Name => "policy-auth-results";

    public override string Description => "Authentication-Results and Received-SPF written from sender-chosen values";

    public override int MaxLength => 8 * 1024;

    public override string? Dictionary => "policy.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string[] values = Encoding.UTF8.GetString(input).Split('\0');
        string Field(int index) => index < values.Length ? values[index] : "";
        byte flags = input.IsEmpty ? (byte)0 : input[0];

        // What the SMTP server lets through: no CR, LF or NUL in a command's arguments; a From domain, a signature's
        // tags and a sealer's d= come from MimeKit's parse and DkimTags, which drop white space.
        string helo = NoLineBreaks(Field(1));
        string mailFrom = NoLineBreaks(Field(2));
        var dkim = new List<DkimSignatureResult>();
        for (int i = 3; i + 3 < values.Length && dkim.Count < 5; i += 4)
        {
            dkim.Add(new DkimSignatureResult((flags & 2) != 0 ? "pass" : "fail", NoWhiteSpace(values[i]), NoWhiteSpace(values[i + 1]), NoWhiteSpace(values[i + 2]))
            {
                HeaderB = NoWhiteSpace(values[i + 3]) is { Length: > 8 } b ? b[..8] : NoWhiteSpace(values[i + 3]),
                Reason = (flags & 4) != 0 ? Field(0) : null,
            });
        }

        string fromDomain = NoWhiteSpace(Field(values.Length - 1));
        var results = new InboundAuthentication
        {
            ClientAddress = "192.0.2.25",
            Helo = helo,
            MailFrom = mailFrom,
            Receiver = AuthservId,
            Spf = (flags & 1) != 0 ? new SpfVerdict(SpfResult.SoftFail, mailFrom.Length == 0 ? helo : mailFrom[(mailFrom.LastIndexOf('@') + 1)..]) : null,
            Dkim = dkim,
            DkimChecked = true,
            Dmarc = new DmarcVerdict((flags & 8) != 0 ? "pass" : "fail", fromDomain) { Record = new DmarcRecord("v=DMARC1; p=reject", DmarcPolicy.Reject) },
            Arc = (flags & 16) != 0 ? new ArcVerdict("pass") { Hops = [new ArcHop(1, NoWhiteSpace(Field(0)), null)] } : null,
        };

        string text = AuthenticationResultsHeader.Build(AuthservId, results);
        CheckFraming(text);

        const string Prefix = "Authentication-Results: ";
        int end = text.IndexOf("\r\nReceived-SPF: ", StringComparison.Ordinal);
        string value = text[Prefix.Length..(end < 0 ? text.Length : end + 2)];
        if (!AuthenticationResults.TryParse(Encoding.UTF8.GetBytes(value), out AuthenticationResults? parsed))
        {
            throw new FuzzFailureException($"MimeKit cannot read back the field: {text}");
        }

        var expected = new List<string>();
        if (results.Spf is not null)
        {
            expected.Add("spf");
        }

        expected.AddRange(dkim.Count == 0 ? ["dkim"] : dkim.Select(static _ => "dkim"));
        expected.Add("dmarc");
        if (results.Arc is not null)
        {
            expected.Add("arc");
        }

        if (parsed.AuthenticationServiceIdentifier != AuthservId || !parsed.Results.Select(static r => r.Method).SequenceEqual(expected))
        {
            throw new FuzzFailureException($"read back as {parsed.AuthenticationServiceIdentifier}: {string.Join(' ', parsed.Results.Select(static r => r.Method))}; written: {text}");
        }
    }

    private static void CheckFraming(string text)
    {
        if (!text.StartsWith("Authentication-Results: ", StringComparison.Ordinal) || !text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            throw new FuzzFailureException($"not header fields: {text}");
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool lineEnd = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n';
            if (lineEnd)
            {
                // The end of a field (the last, or before Received-SPF) or a fold (CRLF and a tab).
                bool last = i + 2 == text.Length;
                bool fold = i + 2 < text.Length && text[i + 2] == '\t';
                bool next = text.AsSpan(i + 2).StartsWith("Received-SPF: ", StringComparison.Ordinal);
                if (!last && !fold && !next)
                {
                    throw new FuzzFailureException($"a line of the header starts with neither a tab nor a field name: {text}");
                }

                i++;
            }
            else if (c is '\r' or '\n' or '\0')
            {
                throw new FuzzFailureException($"a bare CR, LF or NUL at {i}: {text}");
            }
        }
    }

    private static string NoLineBreaks(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal);

    private static string NoWhiteSpace(string text) => string.Concat(text.Where(static c => !char.IsWhiteSpace(c) && c != '\0'));
}

using System.Text;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;

namespace Mailroom.Policy.Authentication;

/// <summary>
/// Writes the Authentication-Results field of RFC 8601 (one result per line, folded with a tab) and policyd-spf's
/// Received-SPF field (RFC 7208 §9.1), both CRLF-terminated, for the front of the message.
/// </summary>
public static class AuthenticationResultsHeader
{
    public static string Build(string authservId, InboundAuthentication results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lines = new List<string>();
        if (results.Spf is { } spf)
        {
            lines.Add(results.SpfIdentity == "helo"
                ? $"spf={spf.Keyword} smtp.helo={Value(spf.Domain)}"
                : $"spf={spf.Keyword} smtp.mailfrom={Value(results.MailFrom)}");
        }

        foreach (DkimSignatureResult dkim in results.Dkim)
        {
            string comment = dkim.Reason is null ? "" : $" ({Comment(dkim.Reason)})";
            lines.Add($"dkim={dkim.Result}{comment} header.d={Value(dkim.Domain)} header.s={Value(dkim.Selector)} header.a={Value(dkim.Algorithm)} header.b={Value(dkim.HeaderB)}");
        }

        if (results.Dkim.Count == 0 && results.DkimChecked)
        {
            lines.Add("dkim=none");
        }

        if (results.Dmarc is { } dmarc)
        {
            string comment = dmarc.Record is null ? "" : $" ({dmarc.Comment})";
            lines.Add(dmarc.FromDomain.Length > 0 ? $"dmarc={dmarc.Result}{comment} header.from={Value(dmarc.FromDomain)}" : $"dmarc={dmarc.Result}");
        }

        if (results.Arc is { } arc)
        {
            lines.Add(arc.LatestSealer is { } sealer ? $"arc={arc.Result} (i={arc.Hops[^1].Instance} d={Comment(sealer)})" : $"arc={arc.Result}");
        }

        var text = new StringBuilder("Authentication-Results: ").Append(authservId);
        if (lines.Count == 0)
        {
            text.Append("; none");
        }

        foreach (string line in lines)
        {
            text.Append(";\r\n\t").Append(line);
        }

        text.Append("\r\n");
        if (results.Spf is { } received)
        {
            text.Append(ReceivedSpf(received, results));
        }

        return text.ToString();
    }

    /// <summary>policyd-spf's wording: <c>Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip=…; helo=…; envelope-from=…; receiver=…</c>.</summary>
    public static string ReceivedSpf(SpfVerdict spf, InboundAuthentication results)
    {
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(results);
        string keyword = spf.Keyword;
        string word = char.ToUpperInvariant(keyword[0]) + keyword[1..];
        return $"Received-SPF: {word} ({results.SpfIdentity}) identity={results.SpfIdentity}; client-ip={results.ClientAddress};\r\n\thelo={Comment(results.Helo)}; envelope-from={Comment(results.MailFrom)}; receiver={Comment(results.Receiver)}\r\n";
    }

    /// <summary>RFC 8601 values are tokens or quoted strings.</summary>
    private static string Value(string value) =>
        value.Length > 0 && value.All(c => c > ' ' && c < 127 && !"()<>@,;:\\\"/[]?=".Contains(c, StringComparison.Ordinal) || c is '@' or '.' or '/' or '=')
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Comment(string text) =>
        new(text.Where(c => c >= ' ' && c < 127 && c is not '(' and not ')' and not '\\').ToArray());
}

using System.Globalization;
using System.Security.Authentication;

namespace Mailroom.Toolkit.Check;

/// <summary>Turns a handshake's <see cref="TlsInfo"/> into a verdict.</summary>
internal static class TlsEvaluator
{
    public static CheckResult Evaluate(string target, TlsInfo tls, DateTimeOffset now, int expiryWarningDays)
    {
        int daysLeft = CertificateValidity.DaysLeft(tls.NotAfter, now);
        string protocol = tls.Protocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            _ => tls.Protocol.ToString(),
        };
        string details = string.Create(CultureInfo.InvariantCulture,
            $"{protocol} {tls.CipherSuite}; subject {tls.Subject}; SAN {(tls.SubjectAlternativeNames.Count == 0 ? "none" : string.Join(",", tls.SubjectAlternativeNames))}; {CertificateValidity.Describe(tls.Issuer, tls.NotAfter, now)}");

        var problems = new List<string>();
        CheckStatus status = CheckStatus.Pass;
        if (now > tls.NotAfter)
        {
            status = CheckStatus.Fail;
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"certificate expired {tls.NotAfter:yyyy-MM-dd}"));
        }
        else if (now < tls.NotBefore)
        {
            status = CheckStatus.Fail;
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"certificate not valid before {tls.NotBefore:yyyy-MM-dd}"));
        }
        else if (daysLeft < expiryWarningDays)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"certificate expires in {daysLeft} days"));
        }

        if (tls.Protocol is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            problems.Add("protocol older than TLS 1.2");
        }

        if (tls.SelfSigned)
        {
            problems.Add("self-signed certificate");
        }
        else if (!tls.ChainTrusted)
        {
            problems.Add("certificate chain not trusted");
        }

        if (!tls.HostNameMatches)
        {
            problems.Add("certificate does not match the host name");
        }

        if (status == CheckStatus.Pass && problems.Count > 0)
        {
            status = CheckStatus.Warn;
        }

        string reason = problems.Count == 0 ? details : string.Join("; ", problems) + " — " + details;
        return new CheckResult("tls", target, status, reason);
    }
}

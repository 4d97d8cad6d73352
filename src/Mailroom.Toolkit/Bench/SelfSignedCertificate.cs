using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Toolkit.Bench;

/// <summary>A throw-away certificate for the sink's STARTTLS and implicit TLS: benchmarks need encryption, not trust.</summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string hostName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
    }
}

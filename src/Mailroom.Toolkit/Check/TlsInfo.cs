using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Toolkit.Check;

/// <summary>What a TLS handshake showed: negotiated parameters and the server certificate.</summary>
internal sealed record TlsInfo(
    SslProtocols Protocol,
    TlsCipherSuite CipherSuite,
    string Subject,
    IReadOnlyList<string> SubjectAlternativeNames,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool HostNameMatches,
    bool SelfSigned,
    bool ChainTrusted)
{
    public static TlsInfo From(SslStream ssl, X509Certificate2 certificate, SslPolicyErrors errors, X509ChainStatusFlags chainStatus)
    {
        var sans = new List<string>();
        foreach (X509SubjectAlternativeNameExtension san in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            sans.AddRange(san.EnumerateDnsNames());
            sans.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        bool selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        return new TlsInfo(
            ssl.SslProtocol,
            ssl.NegotiatedCipherSuite,
            certificate.Subject,
            sans,
            certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
            selfSigned || (chainStatus & X509ChainStatusFlags.UntrustedRoot) != 0 && certificate.Subject == certificate.Issuer,
            (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0);
    }
}

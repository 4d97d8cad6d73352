using System.Net.Security;
using System.Security.Authentication;

namespace Mailroom.Net;

/// <summary>
/// The negotiated TLS parameters of a connection, as protocol servers print them in trace headers,
/// e.g. <c>(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))</c>.
/// </summary>
public sealed record TlsDetails(SslProtocols Protocol, TlsCipherSuite CipherSuite, string CipherSuiteName, int KeyBits)
{
    /// <summary>The protocol in OpenSSL's spelling (<c>TLSv1.2</c>, <c>TLSv1.3</c>), which Postfix logs.</summary>
    public string ProtocolName => Protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => Protocol.ToString(),
    };
}

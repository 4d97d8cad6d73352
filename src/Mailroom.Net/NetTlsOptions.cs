namespace Mailroom.Net;

/// <summary>Server certificate settings, <c>Net:Tls</c>.</summary>
public sealed class NetTlsOptions
{
    /// <summary>
    /// PEM file with the server certificate, optionally followed by its intermediates (and the key, when
    /// <see cref="KeyFile"/> is not set). Default null: a self-signed certificate is generated in <see cref="TlsDirectory"/>
    /// on first run, so STARTTLS works out of the box and credentials never cross the network in clear.
    /// </summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM file with the private key (PKCS#8, PKCS#1 or SEC1). Default null: taken from the certificate file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Where the self-signed certificate lives (<c>cert.pem</c>, <c>key.pem</c>). The host sets it to <c>&lt;data&gt;/tls</c>;
    /// default <c>data/tls</c>, matching the default data directory <c>./data</c>.
    /// </summary>
    public string TlsDirectory { get; set; } = Path.Combine("data", "tls");

    /// <summary>
    /// Host name put in the self-signed certificate's subject and SAN (with <c>localhost</c>, 127.0.0.1 and ::1).
    /// Default null: the machine's host name.
    /// </summary>
    public string? HostName { get; set; }
}

using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Net;

/// <summary>
/// The server certificate: PEM files from <c>Net:Tls:CertificateFile</c>/<c>KeyFile</c> or, when neither is
/// configured, a self-signed certificate generated on first run into <c>&lt;TlsDirectory&gt;/cert.pem</c> and
/// <c>key.pem</c>. Each handshake checks the files' modification time and size (two stat calls, cheap next to a
/// handshake) and reloads them when they changed, so a renewed certificate is used without a restart.
/// </summary>
public sealed class TlsCertificateProvider
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TlsCertificateProvider> _logger;
    private readonly Lock _lock = new();
    private volatile Source _source;
    private volatile Snapshot? _snapshot;

    public TlsCertificateProvider(IOptions<NetOptions> options, TimeProvider timeProvider, ILogger<TlsCertificateProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _source = Source.From(options.Value.Tls);
    }

    /// <summary>
    /// Loads the certificate a reloaded configuration names (or the same files again, when they are unchanged) and
    /// serves it from the next handshake on. Handshakes under way finish with the certificate they started with.
    /// </summary>
    /// <exception cref="NetStartupException">The new files cannot be read or do not hold a certificate and key; the current certificate stays.</exception>
    public void Reconfigure(NetTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = Source.From(options);
        lock (_lock)
        {
            var previous = _source;
            _source = source;
            try
            {
                _snapshot = LoadInitial();
            }
            catch (NetStartupException)
            {
                _source = previous;
                throw;
            }
        }
    }


    /// <summary>The certificate presented to clients now (loaded or generated on first use, reloaded when the files change).</summary>
    /// <exception cref="NetStartupException">The configured files cannot be read or do not hold a certificate and key.</exception>
    public X509Certificate2 Current => GetSnapshot().Certificate;

    /// <summary>True when no certificate is configured and the generated self-signed one is used.</summary>
    public bool IsSelfSigned => _source.SelfSigned;

    /// <summary>The certificate PEM file in use (configured or generated).</summary>
    public string CertificatePath => _source.CertificatePath;

    /// <summary>Loads (or generates) the certificate now, so that a bad configuration stops start-up with a clear message.</summary>
    /// <exception cref="NetStartupException">The configured files cannot be read or do not hold a certificate and key.</exception>
    public void EnsureLoaded() => GetSnapshot();

    /// <summary>Server handshake options for the current certificate: TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0/1.1).</summary>
    internal SslServerAuthenticationOptions GetServerOptions() => GetSnapshot().ServerOptions;

    private Snapshot GetSnapshot()
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Stamp == ReadStamp())
        {
            return snapshot;
        }

        lock (_lock)
        {
            snapshot = _snapshot;
            var stamp = ReadStamp();
            if (snapshot is null)
            {
                snapshot = LoadInitial();
            }
            else if (snapshot.Stamp != stamp && IsVisible(stamp))
            {
                try
                {
                    snapshot = Load(stamp);
                }
                catch (NetStartupException ex)
                {
                    // A half-written renewal must not take TLS down: keep serving the old certificate, and remember
                    // the new stamp so the warning is logged once per change rather than once per handshake.
                    NetLog.CertificateReloadFailed(_logger, ex, _source.CertificatePath);
                    snapshot = snapshot with { Stamp = stamp };
                }
            }

            _snapshot = snapshot;
            return snapshot;
        }
    }

    private Snapshot LoadInitial()
    {
        if (_source.SelfSigned)
        {
            var keyPath = _source.KeyPath!;
            var mustGenerate = !File.Exists(_source.CertificatePath) || !File.Exists(keyPath);
            if (!mustGenerate)
            {
                var existing = Load(ReadStamp());
                if (existing.Certificate.NotAfter.ToUniversalTime() > _timeProvider.GetUtcNow().UtcDateTime)
                {
                    return existing;
                }
            }

            try
            {
                var notAfter = SelfSignedCertificate.Generate(_source.CertificatePath, keyPath, _source.HostName, _timeProvider.GetUtcNow());
                NetLog.SelfSignedGenerated(_logger, _source.HostName, Path.GetDirectoryName(Path.GetFullPath(_source.CertificatePath))!, notAfter.UtcDateTime);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new NetStartupException(
                    $"cannot write the self-signed TLS certificate to '{_source.CertificatePath}' (Net:Tls:TlsDirectory): {ex.Message}", ex);
            }
        }

        return Load(ReadStamp());
    }

    private Snapshot Load(Stamp stamp)
    {
        RequireReadable(_source.CertificatePath, _source.SelfSigned ? "Net:Tls:TlsDirectory" : "Net:Tls:CertificateFile");
        if (_source.KeyPath is not null)
        {
            RequireReadable(_source.KeyPath, _source.SelfSigned ? "Net:Tls:TlsDirectory" : "Net:Tls:KeyFile");
        }

        X509Certificate2 certificate;
        var intermediates = new X509Certificate2Collection();
        try
        {
            using (var pem = X509Certificate2.CreateFromPemFile(_source.CertificatePath, _source.KeyPath))
            {
                // SslStream on Linux needs a private key it can hand to OpenSSL for the whole process lifetime; the
                // ephemeral key of a PEM import is re-imported through PKCS#12 to get one.
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            intermediates.ImportFromPemFile(_source.CertificatePath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new NetStartupException(Describe($"does not hold a PEM certificate with its private key: {ex.Message}"), ex);
        }

        for (var i = intermediates.Count - 1; i >= 0; i--)
        {
            if (intermediates[i].Thumbprint == certificate.Thumbprint)
            {
                intermediates.RemoveAt(i);
            }
        }

        // offline: building the chain must never go to the network for missing intermediates.
        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };
        NetLog.CertificateLoaded(_logger, certificate.Subject, certificate.Thumbprint, _source.CertificatePath, certificate.NotAfter.ToUniversalTime());
        return new Snapshot(certificate, serverOptions, stamp);
    }

    private string Describe(string problem) => _source.SelfSigned
        ? $"the self-signed TLS certificate '{_source.CertificatePath}' (Net:Tls:TlsDirectory) {problem}; delete cert.pem and key.pem there to generate a new one"
        : _source.KeyPath is null
            ? $"Net:Tls:CertificateFile '{_source.CertificatePath}' {problem}"
            : $"Net:Tls:CertificateFile '{_source.CertificatePath}' with Net:Tls:KeyFile '{_source.KeyPath}' {problem}";

    private static void RequireReadable(string path, string key)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read: {ex.Message}";
            throw new NetStartupException($"{key} '{path}' {reason}", ex);
        }
    }

    /// <summary>
    /// False while a file cannot be seen: gone for a moment during a renewal, or not readable by the service user after
    /// the privilege drop (a root-only /etc/letsencrypt). That is no change: the current certificate stays.
    /// </summary>
    private bool IsVisible(Stamp stamp) => stamp.Certificate != default && (_source.KeyPath is null || stamp.Key != default);

    private Stamp ReadStamp() => new(FileStamp.Of(_source.CertificatePath), _source.KeyPath is null ? default : FileStamp.Of(_source.KeyPath));

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    private readonly record struct Stamp(FileStamp Certificate, FileStamp Key);

    /// <summary>Where the certificate comes from: configured files, or the self-signed pair in the TLS directory.</summary>
    private sealed record Source(string CertificatePath, string? KeyPath, bool SelfSigned, string HostName)
    {
        public static Source From(NetTlsOptions tls)
        {
            bool selfSigned = tls.CertificateFile is null;
            return new Source(
                tls.CertificateFile ?? Path.Combine(tls.TlsDirectory, "cert.pem"),
                selfSigned ? Path.Combine(tls.TlsDirectory, "key.pem") : tls.KeyFile,
                selfSigned,
                string.IsNullOrWhiteSpace(tls.HostName) ? Dns.GetHostName() : tls.HostName);
        }
    }

    private sealed record Snapshot(X509Certificate2 Certificate, SslServerAuthenticationOptions ServerOptions, Stamp Stamp);
}

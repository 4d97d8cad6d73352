using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Net.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Net.Tests;

public sealed class TlsCertificateProviderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mailroom-cert-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void SelfSignedCertificateIsGeneratedOnFirstUseWithAPrivateKeyFile()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 15, 0, 0, 0, TimeSpan.Zero));
        var logger = new ListLogger<TlsCertificateProvider>();
        var provider = Create(o => o.HostName = "mx.example.org", time, logger);

        var certificate = provider.Current;

        var tls = Path.Combine(_directory.FullName, "tls");
        Assert.True(provider.IsSelfSigned);
        Assert.True(File.Exists(Path.Combine(tls, "cert.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "key.pem")));
        }

        Assert.Equal("CN=mx.example.org", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(new DateTime(2031, 1, 15, 0, 0, 0, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["mx.example.org", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.Contains(logger.Entries, e => e.Id.Id == 200 && e.Message.Contains("mx.example.org", StringComparison.Ordinal));
    }

    [Fact]
    public void SelfSignedCertificateIsReusedOnTheNextStart()
    {
        var first = Create().Current;

        var second = Create().Current;

        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public void ExpiredSelfSignedCertificateIsReplaced()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var first = Create(timeProvider: time).Current;
        time.Advance(TimeSpan.FromDays(400));

        var second = Create(timeProvider: time).Current;

        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.True(second.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public void ChangedCertificateFilesAreReloaded()
    {
        var certificatePath = Path.Combine(_directory.FullName, "server.crt");
        var keyPath = Path.Combine(_directory.FullName, "server.key");
        SelfSignedCertificate.Generate(certificatePath, keyPath, "old.example", DateTimeOffset.UtcNow);
        var provider = Create(o => { o.CertificateFile = certificatePath; o.KeyFile = keyPath; });
        Assert.Equal("CN=old.example", provider.Current.Subject);

        SelfSignedCertificate.Generate(certificatePath, keyPath, "renewed.example", DateTimeOffset.UtcNow);
        File.SetLastWriteTimeUtc(certificatePath, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("CN=renewed.example", provider.Current.Subject);
    }

    [Fact]
    public void BrokenRenewalKeepsTheCurrentCertificate()
    {
        var certificatePath = Path.Combine(_directory.FullName, "server.crt");
        var keyPath = Path.Combine(_directory.FullName, "server.key");
        SelfSignedCertificate.Generate(certificatePath, keyPath, "stable.example", DateTimeOffset.UtcNow);
        var logger = new ListLogger<TlsCertificateProvider>();
        var provider = Create(o => { o.CertificateFile = certificatePath; o.KeyFile = keyPath; }, logger: logger);
        _ = provider.Current;

        File.WriteAllText(certificatePath, "half written");

        Assert.Equal("CN=stable.example", provider.Current.Subject);
        Assert.Equal("CN=stable.example", provider.Current.Subject);
        Assert.Single(logger.Entries, e => e.Id.Id == 202);
    }

    [Fact]
    public void CertificateFilesThatCannotBeSeenKeepTheCurrentCertificateWithoutAWarning()
    {
        // As after the privilege drop with a root-only /etc/letsencrypt, or for a moment during a renewal.
        var certificatePath = Path.Combine(_directory.FullName, "server.crt");
        var keyPath = Path.Combine(_directory.FullName, "server.key");
        SelfSignedCertificate.Generate(certificatePath, keyPath, "kept.example", DateTimeOffset.UtcNow);
        var logger = new ListLogger<TlsCertificateProvider>();
        var provider = Create(o => { o.CertificateFile = certificatePath; o.KeyFile = keyPath; }, logger: logger);
        _ = provider.Current;
        string hidden = Path.Combine(_directory.FullName, "hidden");
        File.Move(keyPath, hidden);

        Assert.Equal("CN=kept.example", provider.Current.Subject);
        Assert.DoesNotContain(logger.Entries, e => e.Id.Id == 202);

        // Seen again, and changed: the renewal is taken.
        SelfSignedCertificate.Generate(certificatePath, hidden, "renewed.example", DateTimeOffset.UtcNow);
        File.Move(hidden, keyPath);
        File.SetLastWriteTimeUtc(certificatePath, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("CN=renewed.example", provider.Current.Subject);
    }

    [Fact]
    public void MissingConfiguredCertificateFileNamesTheSettingAndPath()
    {
        var path = Path.Combine(_directory.FullName, "nowhere.pem");
        var provider = Create(o => o.CertificateFile = path);

        var error = Assert.Throws<NetStartupException>(provider.EnsureLoaded);

        Assert.Equal($"Net:Tls:CertificateFile '{path}' does not exist", error.Message);
    }

    [Fact]
    public void MissingConfiguredKeyFileNamesTheSettingAndPath()
    {
        var certificatePath = Path.Combine(_directory.FullName, "server.crt");
        SelfSignedCertificate.Generate(certificatePath, Path.Combine(_directory.FullName, "server.key"), "x.example", DateTimeOffset.UtcNow);
        var keyPath = Path.Combine(_directory.FullName, "missing.key");
        var provider = Create(o => { o.CertificateFile = certificatePath; o.KeyFile = keyPath; });

        var error = Assert.Throws<NetStartupException>(provider.EnsureLoaded);

        Assert.Equal($"Net:Tls:KeyFile '{keyPath}' does not exist", error.Message);
    }

    [Fact]
    public void ConfiguredFileWithoutACertificateGivesAClearError()
    {
        var path = Path.Combine(_directory.FullName, "garbage.pem");
        File.WriteAllText(path, "not a certificate");
        var provider = Create(o => o.CertificateFile = path);

        var error = Assert.Throws<NetStartupException>(provider.EnsureLoaded);

        Assert.StartsWith($"Net:Tls:CertificateFile '{path}' does not hold a PEM certificate with its private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenerHostStartUpFailsWithTheCertificateError()
    {
        var path = Path.Combine(_directory.FullName, "nowhere.pem");

        var error = await Assert.ThrowsAsync<NetStartupException>(() =>
            TestServer.StartAsync(new EchoProtocol(), configure: o => o.Tls.CertificateFile = path));

        Assert.Contains("Net:Tls:CertificateFile", error.Message, StringComparison.Ordinal);
    }

    private TlsCertificateProvider Create(
        Action<NetTlsOptions>? configure = null,
        TimeProvider? timeProvider = null,
        ListLogger<TlsCertificateProvider>? logger = null)
    {
        var options = new NetOptions();
        options.Tls.TlsDirectory = Path.Combine(_directory.FullName, "tls");
        options.Tls.HostName = "mx.test.example";
        configure?.Invoke(options.Tls);
        return new TlsCertificateProvider(
            Options.Create(options),
            timeProvider ?? TimeProvider.System,
            (Microsoft.Extensions.Logging.ILogger<TlsCertificateProvider>?)logger ?? NullLogger<TlsCertificateProvider>.Instance);
    }
}

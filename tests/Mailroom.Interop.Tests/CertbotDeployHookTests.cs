using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The certificate flow of README "Install on a server", with the admins' own tool: certbot obtains a certificate from
/// Debian's pebble (Let's Encrypt's test ACME server, on loopback, every challenge taken as valid) and its deploy hook
/// (copy into Mailroom's TLS files, then SIGHUP as <c>systemctl reload mailroom</c> sends it) makes the running server
/// serve it; a forced renewal is served the same way, all without a restart.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CertbotDeployHookTests : IDisposable
{
    private const string Name = "mail.example.org";
    private const string ServiceUser = "mailroom"; // Server:User's default, which the server drops to
    private static readonly TimeSpan ServedTimeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _work = System.IO.Directory.CreateTempSubdirectory("mailroom-certbot-");

    public CertbotDeployHookTests() => File.SetUnixFileMode(_work.FullName, (UnixFileMode)0x1ED);

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task CertbotsCertificateAndItsRenewalAreServedThroughTheDeployHookWithoutARestart()
    {
        RootOnly.Require("the deploy hook gives the key to the group mailroom");
        string pebble = ExternalTool.Require("pebble");
        ExternalTool.Require("certbot");
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tls = Path.Combine(_work.FullName, "tls");
        System.IO.Directory.CreateDirectory(tls);
        File.SetUnixFileMode(tls, (UnixFileMode)0x1ED);
        string certificate = Path.Combine(tls, "fullchain.pem");
        string key = Path.Combine(tls, "privkey.pem");
        WriteSelfSigned(certificate, key, "CN=before-certbot.example.org", IPAddress.Loopback);
        await using MailroomServer server = await MailroomServer.StartAsync([$"Net:Tls:CertificateFile={certificate}", $"Net:Tls:KeyFile={key}"], []);

        int acme = FreePort(), management = FreePort(), http = FreePort(), tlsAlpn = FreePort();
        await using DaemonProcess ca = await StartPebbleAsync(pebble, acme, management, http, tlsAlpn);
        string hook = WriteDeployHook(tls, server.ProcessId);
        string[] certbotDirectories = ["--config-dir", Path.Combine(_work.FullName, "letsencrypt"), "--work-dir", Path.Combine(_work.FullName, "work"),
            "--logs-dir", Path.Combine(_work.FullName, "logs"), "--no-verify-ssl", "--non-interactive"];
        string live = Path.Combine(_work.FullName, "letsencrypt", "live", Name, "cert.pem");

        ProcessResult obtained = await ExternalTool.RunAsync("certbot",
            ["certonly", .. certbotDirectories, "--agree-tos", "--register-unsafely-without-email", "--server", $"https://127.0.0.1:{acme}/dir",
             "--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", http.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-d", Name, "--deploy-hook", hook], timeout: TimeSpan.FromMinutes(2));
        Assert.True(obtained.ExitCode == 0, $"certbot certonly failed: {obtained}\npebble: {ca.Output}");
        string first = SerialOf(live);
        await Eventually.WaitUntilAsync(() => ServedSerialAsync(server, ct).GetAwaiter().GetResult() == first, ServedTimeout, $"certbot's certificate {first} served");

        // What certbot's timer runs, forced; without the random sleep certbot adds when no terminal is attached.
        ProcessResult renewed = await ExternalTool.RunAsync("certbot",
            ["renew", .. certbotDirectories, "--force-renewal", "--no-random-sleep-on-renew"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(renewed.ExitCode == 0, $"certbot renew failed: {renewed}");
        string second = SerialOf(live);
        Assert.NotEqual(first, second);
        await Eventually.WaitUntilAsync(() => ServedSerialAsync(server, ct).GetAwaiter().GetResult() == second, ServedTimeout, $"the renewed certificate {second} served");
        Assert.True(server.IsRunning);

        // mailroom check reads the certificate the server serves: pebble's issuer and the renewed one's days left.
        using X509Certificate2 renewedCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(live));
        string tlsReason = await CheckedTlsReasonAsync(server.SmtpPort);
        int daysLeft = (int)Math.Floor((renewedCertificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);
        Assert.StartsWith("CN=Pebble Intermediate CA", renewedCertificate.Issuer, StringComparison.Ordinal);
        Assert.True(
            tlsReason.Contains($"issuer {renewedCertificate.Issuer}; {daysLeft} days to expiry", StringComparison.Ordinal)
            || tlsReason.Contains($"issuer {renewedCertificate.Issuer}; {daysLeft + 1} days to expiry", StringComparison.Ordinal), // a day boundary passed in between
            $"expected issuer {renewedCertificate.Issuer} and {daysLeft} days in: {tlsReason}");
    }

    /// <summary>The reason of <c>mailroom check</c>'s TLS line for the SMTP port (STARTTLS), from its JSON report.</summary>
    private static async Task<string> CheckedTlsReasonAsync(int smtpPort)
    {
        ProcessResult check = await MailroomServer.RunCliAsync(
            ["check", "127.0.0.1", "--smtp-port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--skip", "submission,smtps,pop3,pop3s,imap,imaps,relay,scan", "--json"]);
        using var report = System.Text.Json.JsonDocument.Parse(check.StandardOutput);
        string[] reasons = [.. report.RootElement.GetProperty("results").EnumerateArray()
            .Select(result => result.GetProperty("reason").GetString() ?? "")
            .Where(reason => reason.Contains("days to expiry", StringComparison.Ordinal))];
        return Assert.Single(reasons);
    }

    /// <summary>README's deploy hook, with <c>kill -HUP</c> for <c>systemctl reload mailroom</c> (no systemd here).</summary>
    private string WriteDeployHook(string tls, int pid)
    {
        string hook = Path.Combine(_work.FullName, "deploy-hook");
        File.WriteAllText(hook, $"""
            #!/bin/sh
            set -e
            install -m 0640 -o root -g {ServiceUser} "$RENEWED_LINEAGE/fullchain.pem" {tls}/fullchain.pem.new
            install -m 0640 -o root -g {ServiceUser} "$RENEWED_LINEAGE/privkey.pem" {tls}/privkey.pem.new
            mv -f {tls}/fullchain.pem.new {tls}/fullchain.pem
            mv -f {tls}/privkey.pem.new {tls}/privkey.pem
            kill -HUP {pid}

            """);
        File.SetUnixFileMode(hook, (UnixFileMode)0x1C0);
        return hook;
    }

    private async Task<DaemonProcess> StartPebbleAsync(string pebble, int acme, int management, int http, int tlsAlpn)
    {
        // Debian's pebble ships no certificate for its own HTTPS endpoint: a throwaway one; certbot runs with --no-verify-ssl.
        string cert = Path.Combine(_work.FullName, "pebble-cert.pem");
        string key = Path.Combine(_work.FullName, "pebble-key.pem");
        WriteSelfSigned(cert, key, "CN=127.0.0.1", IPAddress.Loopback);
        string config = Path.Combine(_work.FullName, "pebble.json");
        await File.WriteAllTextAsync(config, $$"""
            { "pebble": { "listenAddress": "127.0.0.1:{{acme}}", "managementListenAddress": "127.0.0.1:{{management}}",
              "certificate": "{{cert}}", "privateKey": "{{key}}", "httpPort": {{http}}, "tlsPort": {{tlsAlpn}},
              "ocspResponderURL": "", "externalAccountBindingRequired": false } }
            """, TestContext.Current.CancellationToken);
        // env(1) carries pebble's switches: take every challenge as valid, answer without its random delays, and accept
        // every valid nonce (by default pebble refuses 5 % of them as badNonce, to test clients' retries; certbot retries
        // some requests only, and one refused in `renew` failed CI).
        return await DaemonProcess.StartAsync("env", ["PEBBLE_VA_ALWAYS_VALID=1", "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", pebble, "-config", config], acme, TimeSpan.FromSeconds(30));
    }

    private static void WriteSelfSigned(string certificatePath, string keyPath, string subject, IPAddress address)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(keyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, made.ExportCertificatePem());
        File.SetUnixFileMode(keyPath, (UnixFileMode)0x1A4);
        File.SetUnixFileMode(certificatePath, (UnixFileMode)0x1A4);
    }

    private static string SerialOf(string pemPath)
    {
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return certificate.SerialNumber;
    }

    private static async Task<string?> ServedSerialAsync(MailroomServer server, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            await smtp.StartTlsAsync(ct);
            return smtp.RemoteCertificate is { } served ? X509CertificateLoader.LoadCertificate(served.GetRawCertData()).SerialNumber : null;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Interop.Tests.Support;
using Mailroom.Policy.Dkim;

namespace Mailroom.Interop.Tests;

/// <summary>
/// SIGHUP, as <c>systemctl reload</c> and certbot's deploy hook send it: the configuration file is read again and new
/// sessions get its settings, while sessions under way keep theirs and no connection drops.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReloadTests : IDisposable
{
    private const string ReloadedLine = "configuration reloaded";

    // A reload validates a whole new host; on a loaded CI machine that has been seen to take well over 15 s.
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(90);

    // Readable by the service user the server becomes after binding, as /etc/mailroom is.
    private readonly DirectoryInfo _etc = System.IO.Directory.CreateTempSubdirectory("mailroom-etc-");

    public ReloadTests() => File.SetUnixFileMode(_etc.FullName, (UnixFileMode)0x1ED);

    private string ConfigFile => Path.Combine(_etc.FullName, "mailroom.json");

    public void Dispose() => _etc.Delete(recursive: true);

    [Fact]
    public async Task NewSessionsGetTheReloadedLimitWhileAnOpenSessionKeepsItsOwn()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await WriteConfigAsync("""{ "Smtp": { "MaxMessageSize": 1000000 } }""");
        await using MailroomServer server = await MailroomServer.StartAsync(null, ["--config", ConfigFile]);
        (RawSmtpConnection before, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (before)
        {
            Assert.Contains("250-SIZE 1000000", await before.CommandAsync("EHLO before.example.org", ct));

            await WriteConfigAsync("""{ "Smtp": { "MaxMessageSize": 2000000 } }""");
            await ReloadAsync(server);

            (RawSmtpConnection after, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
            await using (after)
            {
                Assert.Contains("250-SIZE 2000000", await after.CommandAsync("EHLO after.example.org", ct));
            }

            Assert.Contains("250-SIZE 1000000", await before.CommandAsync("EHLO before.example.org", ct));
            Assert.StartsWith("250", (await before.CommandAsync("NOOP", ct))[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ASettingBoundAtStartIsNamedInTheLogAndTheRestStillApplies()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await WriteConfigAsync("{}");
        await using MailroomServer server = await MailroomServer.StartAsync(null, ["--config", ConfigFile]);

        await WriteConfigAsync("""{ "Directory": { "AuthCacheTtl": "00:00:07" }, "Smtp": { "MaxMessageSize": 3000000 } }""");
        await ReloadAsync(server);

        await server.WaitForOutputLineAsync("Directory:AuthCacheTtl changed: it takes effect at the next restart", ReloadTimeout);
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            Assert.Contains("250-SIZE 3000000", await smtp.CommandAsync("EHLO client.example.org", ct));
        }
    }

    [Fact]
    public async Task AnInvalidConfigurationIsRefusedAndTheRunningOneStays()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await WriteConfigAsync("""{ "Smtp": { "MaxMessageSize": 1000000 } }""");
        await using MailroomServer server = await MailroomServer.StartAsync(null, ["--config", ConfigFile]);

        await WriteConfigAsync("""{ "Smtp": { "MaxMessageSize": 3000000, "Prot": 26 } }""");
        NativeSignals.Send(server.ProcessId, NativeSignals.SigHup);

        await server.WaitForOutputLineAsync(@"configuration reload refused, the running configuration stays: Smtp:Prot: unknown key; did you mean Smtp:Port\?", ReloadTimeout);
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            Assert.Contains("250-SIZE 1000000", await smtp.CommandAsync("EHLO client.example.org", ct));
        }

        Assert.True(server.IsRunning);
    }

    [Fact]
    public async Task ARenewedCertificateIsServedAfterSighupWithoutARestart()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string certificate = Path.Combine(_etc.FullName, "fullchain.pem");
        string key = Path.Combine(_etc.FullName, "privkey.pem");
        await WriteCertificateAsync(certificate, key, "CN=first.example.org");
        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Net:Tls:CertificateFile={certificate}", $"Net:Tls:KeyFile={key}"], []);
        Assert.Equal("CN=first.example.org", await ServedSubjectAsync(server, ct));

        // certbot renews into new files, then the deploy hook runs `systemctl reload mailroom`.
        await WriteCertificateAsync(certificate, key, "CN=renewed.example.org");
        await ReloadAsync(server);

        Assert.Equal("CN=renewed.example.org", await ServedSubjectAsync(server, ct));
    }

    [Fact]
    public async Task ACertificateAboutToExpireIsWarnedAboutRightAfterTheReloadThatServesItAndARenewedOneIsNot()
    {
        const string Warning = "expires on";
        string certificate = Path.Combine(_etc.FullName, "fullchain.pem");
        string key = Path.Combine(_etc.FullName, "privkey.pem");
        await WriteCertificateAsync(certificate, key, "CN=first.example.org");
        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Net:Tls:CertificateFile={certificate}", $"Net:Tls:KeyFile={key}"], []);

        await WriteCertificateAsync(certificate, key, "CN=expiring.example.org", TimeSpan.FromDays(5));
        await ReloadAsync(server);
        Assert.Contains(server.RecentOutput.Split('\n'), l => l.Contains(Warning, StringComparison.Ordinal) && l.Contains("CN=expiring.example.org", StringComparison.Ordinal));
        int warnings = server.RecentOutput.Split('\n').Count(l => l.Contains(Warning, StringComparison.Ordinal));

        await WriteCertificateAsync(certificate, key, "CN=renewed.example.org");
        await ReloadAsync(server);
        Assert.Equal(warnings, server.RecentOutput.Split('\n').Count(l => l.Contains(Warning, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NewSessionsGetTheReloadedDmarcPolicyWhileAnOpenSessionKeepsItsOwn()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestDnsServer dns = await new TestDnsServer()
            .RejectingDomain("example.test")
            .StartAsync();
        await WriteConfigAsync("{}");
        await using MailroomServer server = await StartCheckingAsync(dns);

        // An admin lets DMARC failures of p=reject domains through while a partner fixes its records.
        (string before, string after) = await SpoofedAcrossReloadAsync(server, """{ "Dmarc": { "RejectPolicy": "None" } }""", ct);

        Assert.StartsWith("250 2.0.0", after, StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.1 Rejected by DMARC policy for example.test", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadingSpfRejectFailTurnsItOnForNewSessionsOnly()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestDnsServer dns = await new TestDnsServer()
            .Txt("example.test", "v=spf1 ip4:192.0.2.1 -all")
            .StartAsync();
        await WriteConfigAsync("""{ "Spf": { "RejectFail": false } }""");
        await using MailroomServer server = await StartCheckingAsync(dns);

        (string before, string after) = await SpoofedAcrossReloadAsync(server, """{ "Spf": { "RejectFail": true } }""", ct);

        Assert.StartsWith("550 5.7.23", after, StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewSessionsAskTheReloadedDnsServersWithoutARestart()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        // The same domain in two zones: SPF allows only 192.0.2.1 in the first, loopback too in the second.
        await using TestDnsServer first = await new TestDnsServer()
            .RejectingDomain("example.test")
            .StartAsync();
        await using TestDnsServer second = await new TestDnsServer()
            .RejectingDomain("example.test", senders: "ip4:127.0.0.0/8")
            .StartAsync();
        await WriteConfigAsync(DnsConfiguration(first.Server));
        await using MailroomServer server = await MailroomServer.StartAsync(
            ["Smtp:TrustedNetworks=", "Spf:Enabled=true", "Dkim:Verify=true", "Dmarc:Enabled=true", "Arc:Verify=true", "Smtp:Hostname=mx.example.test"],
            ["--config", ConfigFile],
            leftToConfiguration: ["Dns:"]);
        await AddAnnAsync(server);
        Assert.StartsWith("550 5.7.1 Rejected by DMARC policy for example.test", await SendSpoofedInNewSessionAsync(server, "before.example.org", ct), StringComparison.Ordinal);

        // The resolver, with its cache of the first zone's answers, is replaced: the second zone answers at once.
        await WriteConfigAsync(DnsConfiguration(second.Server));
        await ReloadAsync(server);

        Assert.StartsWith("250 2.0.0", await SendSpoofedInNewSessionAsync(server, "after.example.org", ct), StringComparison.Ordinal);

        Assert.DoesNotContain(server.RecentOutput.Split('\n'), l => l.Contains("Dns:Servers", StringComparison.Ordinal) && l.Contains("next restart", StringComparison.Ordinal));
    }

    private static string DnsConfiguration(string dnsServer) =>
        $$"""{ "Dns": { "Servers": [ "{{dnsServer}}" ], "Timeout": "00:00:05", "Retries": 2 } }""";

    [Fact]
    public async Task AnInvalidDmarcPolicyIsRefusedAndTheRunningChecksStay()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestDnsServer dns = await new TestDnsServer()
            .RejectingDomain("example.test")
            .StartAsync();
        await WriteConfigAsync("{}");
        await using MailroomServer server = await StartCheckingAsync(dns);

        await WriteConfigAsync("""{ "Dmarc": { "RejectPolicy": "Sometimes" } }""");
        NativeSignals.Send(server.ProcessId, NativeSignals.SigHup);
        await server.WaitForOutputLineAsync("configuration reload refused, the running configuration stays: .*Dmarc:RejectPolicy", ReloadTimeout);

        Assert.StartsWith("550 5.7.1 Rejected by DMARC policy for example.test", await SendSpoofedInNewSessionAsync(server, "client.example.org", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurningDkimSigningOnAppliesToTheNextOutgoingMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string keys = Path.Combine(_etc.FullName, "dkim");
        new DkimKeyStore(keys).Generate("example.org", DkimAlgorithm.Ed25519, "one", TimeProvider.System);
        await using SinkProcess sink = await SinkProcess.StartAsync(FreePort());
        await WriteConfigAsync("""{ "Dkim": { "Sign": false } }""");
        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Delivery:Transports:remote.test=smtp:[127.0.0.1]:{sink.Port}", $"Dkim:KeyDirectory={keys}"], ["--config", ConfigFile]);

        string unsigned = await RelayAsync(server, "before the reload", ct);
        await server.WaitForMaillogLineAsync($@"{unsigned}: removed");
        Assert.DoesNotContain(server.MaillogLines(), l => l.Contains("DKIM-Signature field added", StringComparison.Ordinal));

        await WriteConfigAsync("""{ "Dkim": { "Sign": true } }""");
        await ReloadAsync(server);

        string signed = await RelayAsync(server, "after the reload", ct);
        await server.WaitForMaillogLineAsync($@"{signed}: DKIM-Signature field added \(s=one, d=example\.org\)");
        await server.WaitForMaillogLineAsync($@"{signed}: removed");
    }

    /// <summary>Mail from a trusted client (loopback) to remote.test, routed to the sink; returns its queue id.</summary>
    private static async Task<string> RelayAsync(MailroomServer server, string subject, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync("MAIL FROM:<samt@example.org>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync("RCPT TO:<someone@remote.test>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("354", (await smtp.CommandAsync("DATA", ct))[^1], StringComparison.Ordinal);
            string reply = (await smtp.CommandAsync($"From: <samt@example.org>\r\nTo: <someone@remote.test>\r\nSubject: {subject}\r\n\r\nHello.\r\n.", ct))[^1];
            Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
            return reply.Split(' ')[^1];
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The server on port 25 as the world sees it (loopback not trusted), with SPF, DKIM, DMARC and ARC checks asking
    /// <paramref name="dns"/>, its configuration file <see cref="ConfigFile"/>, and ann@example.test to send to.
    /// </summary>
    private async Task<MailroomServer> StartCheckingAsync(TestDnsServer dns)
    {
        MailroomServer server = await MailroomServer.StartAsync(
            ["Smtp:TrustedNetworks=", .. MailroomServer.PolicyChecks(dns.Server), "Smtp:Hostname=mx.example.test"], ["--config", ConfigFile]);
        await AddAnnAsync(server);
        return server;
    }

    private static async Task AddAnnAsync(MailroomServer server)
    {
        await server.AddDomainAsync("example.test");
        await server.AddUserAsync("ann@example.test");
    }

    /// <summary>
    /// Opens a session, reloads <paramref name="configuration"/>, then sends the spoofed message in a new session and in
    /// the one opened before the reload, in that order; returns both replies.
    /// </summary>
    private async Task<(string Before, string After)> SpoofedAcrossReloadAsync(MailroomServer server, string configuration, CancellationToken ct)
    {
        (RawSmtpConnection before, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (before)
        {
            await before.CommandAsync("EHLO before.example.org", ct);
            await WriteConfigAsync(configuration);
            await ReloadAsync(server);

            string after = await SendSpoofedInNewSessionAsync(server, "after.example.org", ct);
            return (await SendSpoofedAsync(before, ct), after);
        }
    }

    /// <summary><see cref="SendSpoofedAsync"/> in a session of its own, greeted with EHLO <paramref name="helo"/>.</summary>
    private static async Task<string> SendSpoofedInNewSessionAsync(MailroomServer server, string helo, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO " + helo, ct);
            return await SendSpoofedAsync(smtp, ct);
        }
    }

    /// <summary>Mail from loopback claiming a From: of example.test, whose SPF allows only 192.0.2.1: SPF and DMARC fail.</summary>
    private static async Task<string> SendSpoofedAsync(RawSmtpConnection smtp, CancellationToken ct)
    {
        Assert.StartsWith("250", (await smtp.CommandAsync("MAIL FROM:<ceo@example.test>", ct))[^1], StringComparison.Ordinal);
        Assert.StartsWith("250", (await smtp.CommandAsync("RCPT TO:<ann@example.test>", ct))[^1], StringComparison.Ordinal);
        Assert.StartsWith("354", (await smtp.CommandAsync("DATA", ct))[^1], StringComparison.Ordinal);
        return (await smtp.CommandAsync("From: CEO <ceo@example.test>\r\nSubject: wire transfer\r\n\r\nPay now.\r\n.", ct))[^1];
    }

    private static async Task<string?> ServedSubjectAsync(MailroomServer server, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            await smtp.StartTlsAsync(ct);
            return smtp.RemoteCertificate?.Subject;
        }
    }

    private static async Task ReloadAsync(MailroomServer server)
    {
        int before = server.RecentOutput.Split('\n').Count(l => l.Contains(ReloadedLine, StringComparison.Ordinal));
        NativeSignals.Send(server.ProcessId, NativeSignals.SigHup);
        await Eventually.WaitForAsync(
            () => server.RecentOutput.Split('\n').Count(l => l.Contains(ReloadedLine, StringComparison.Ordinal)) > before ? "" : null,
            ReloadTimeout,
            "the reload to finish");
    }

    private async Task WriteConfigAsync(string json)
    {
        string temporary = ConfigFile + ".new";
        await File.WriteAllTextAsync(temporary, json, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(temporary, (UnixFileMode)0x1A4);
        File.Move(temporary, ConfigFile, overwrite: true);
    }

    private static async Task WriteCertificateAsync(string certificatePath, string keyPath, string subject, TimeSpan? validFor = null)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromDays(90)));
        await File.WriteAllTextAsync(keyPath + ".new", ecdsa.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(certificatePath + ".new", certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        foreach (string path in new[] { keyPath, certificatePath })
        {
            File.SetUnixFileMode(path + ".new", (UnixFileMode)0x1A4);
            File.Move(path + ".new", path, overwrite: true);
        }
    }
}

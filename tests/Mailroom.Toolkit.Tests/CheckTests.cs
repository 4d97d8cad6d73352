using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mailroom.Toolkit.Bench;
using Mailroom.Toolkit.Check;

namespace Mailroom.Toolkit.Tests;

public sealed class CheckTests
{
    private static CheckSettings Settings(params ServiceSpec[] services) => new()
    {
        Host = "127.0.0.1",
        Services = services,
        Scan = false,
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static Task<IReadOnlyList<CheckResult>> RunAsync(CheckSettings settings) =>
        new CheckRunner(settings, TimeProvider.System).RunAsync(_ => { }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task ServerThatRelaysForAnUntrustedSourceFailsEveryOpenRelayLine()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0 }, TimeProvider.System);
        sink.Start();
        IReadOnlyList<CheckResult> results = await RunAsync(Settings(new ServiceSpec("smtp", ServiceProtocol.Smtp, sink.LocalEndPoint.Port, false)) with { UntrustedSource = true });

        CheckResult[] relay = [.. results.Where(r => r.Check == "open relay")];
        Assert.Equal(6, relay.Length);
        Assert.All(relay, r => Assert.Equal(CheckStatus.Fail, r.Status));
        Assert.Equal(CheckStatus.Pass, results.Single(r => r.Check == "connect").Status);
        CheckResult tls = results.Single(r => r.Check == "tls");
        Assert.Equal(CheckStatus.Warn, tls.Status);
        Assert.Contains("self-signed", tls.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sink.Stats.Messages);
    }

    [Fact]
    public async Task RelayingAllowedFromLoopbackIsAWarningThatSaysTheSourceIsProbablyTrusted()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0 }, TimeProvider.System);
        sink.Start();
        IReadOnlyList<CheckResult> results = await RunAsync(Settings(new ServiceSpec("smtp", ServiceProtocol.Smtp, sink.LocalEndPoint.Port, false)));

        CheckResult[] relay = [.. results.Where(r => r.Check == "open relay")];
        Assert.Equal(6, relay.Length);
        Assert.All(relay, r => Assert.Equal(CheckStatus.Warn, r.Status));
        Assert.All(relay, r => Assert.Contains(
            "but the check connects from 127.0.0.1, loopback, which mail servers trust by default (Smtp:TrustedNetworks, Postfix mynetworks): this cannot tell an open relay from a trusted client",
            r.Reason,
            StringComparison.Ordinal));
        Assert.DoesNotContain(results, r => r.Status == CheckStatus.Fail);
    }

    [Fact]
    public void AnOutsideSourceAddressIsNotTakenForTrusted()
    {
        Assert.Null(LocalSource.WhyProbablyTrusted(IPAddress.Parse("192.0.2.77")));
        Assert.Null(LocalSource.WhyProbablyTrusted(null));
        Assert.NotNull(LocalSource.WhyProbablyTrusted(IPAddress.IPv6Loopback));
        Assert.NotNull(LocalSource.WhyProbablyTrusted(IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public async Task ServerThatRefusesRelayPassesEveryOpenRelayLine()
    {
        Assert.True(FailureRule.TryParse("554", out FailureRule? refuse, out _));
        await using var sink = new SmtpSink(new SinkSettings { Port = 0, RcptFailure = refuse }, TimeProvider.System);
        sink.Start();
        IReadOnlyList<CheckResult> results = await RunAsync(Settings(new ServiceSpec("smtp", ServiceProtocol.Smtp, sink.LocalEndPoint.Port, false)));

        Assert.All(results.Where(r => r.Check == "open relay"), r => Assert.Equal(CheckStatus.Pass, r.Status));
    }

    [Fact]
    public async Task ExpiredCertificateOnImplicitTlsFails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using X509Certificate2 expired = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        await using var sink = new SmtpSink(new SinkSettings { Port = 0, ImplicitTls = true, Certificate = expired }, TimeProvider.System);
        sink.Start();

        IReadOnlyList<CheckResult> results = await RunAsync(Settings(new ServiceSpec("smtps", ServiceProtocol.Smtp, sink.LocalEndPoint.Port, true)) with { Relay = false });

        CheckResult tls = results.Single(r => r.Check == "tls");
        Assert.Equal(CheckStatus.Fail, tls.Status);
        Assert.Contains("expired", tls.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedOpenPortWarnsAndClosedExpectedPortFails()
    {
        using var unexpected = new TcpListener(IPAddress.Loopback, 0);
        unexpected.Start();
        int open = ((IPEndPoint)unexpected.LocalEndpoint).Port;
        int closed = ClosedPort();

        IReadOnlyList<CheckResult> results = await PortScan.RunAsync("127.0.0.1", [open], new HashSet<int> { closed }, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.Equal(CheckStatus.Warn, results.Single(r => r.Target == open.ToString(System.Globalization.CultureInfo.InvariantCulture)).Status);
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Target == closed.ToString(System.Globalization.CultureInfo.InvariantCulture)).Status);
    }

    [Fact]
    public async Task JsonOutputParsesAndExitCodeReflectsFailures()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0 }, TimeProvider.System);
        sink.Start();
        int port = sink.LocalEndPoint.Port;
        using var unexpected = new TcpListener(IPAddress.Loopback, 0);
        unexpected.Start();
        int extra = ((IPEndPoint)unexpected.LocalEndpoint).Port;

        (int code, string output) = await CommandLineTests.InvokeAsync(
            $"check 127.0.0.1 --smtp-port {port} --skip submission,smtps,pop3,pop3s,imap,imaps --scan-ports {extra} --untrusted-source --json");

        Assert.Equal(1, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        JsonElement[] lines = [.. json.RootElement.GetProperty("results").EnumerateArray()];
        Assert.Contains(lines, l => l.GetProperty("check").GetString() == "open relay" && l.GetProperty("status").GetString() == "FAIL");
        Assert.Contains(lines, l => l.GetProperty("check").GetString() == "exposure" && l.GetProperty("status").GetString() == "WARN");
    }

    [Fact]
    public async Task TableOutputListsVerdicts()
    {
        using var unexpected = new TcpListener(IPAddress.Loopback, 0);
        unexpected.Start();
        int extra = ((IPEndPoint)unexpected.LocalEndpoint).Port;

        (int code, string output) = await CommandLineTests.InvokeAsync(
            $"check 127.0.0.1 --skip smtp,submission,smtps,pop3,pop3s,imap,imaps --scan-ports {extra}");

        Assert.Equal(0, code);
        Assert.Contains("WARN", output, StringComparison.Ordinal);
        Assert.Contains("0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayVariantsUseAddressLiteralForIpTargets()
    {
        var variants = RelayProbe.Variants("127.0.0.1", "user@outside.invalid").ToDictionary(v => v.Name, v => v.Address);

        Assert.Equal("user%outside.invalid@[127.0.0.1]", variants["percent hack"]);
        Assert.Equal("outside.invalid!user@[127.0.0.1]", variants["bang path"]);
        Assert.Equal("\"user@outside.invalid\"@[127.0.0.1]", variants["quoted local part"]);
        Assert.Equal("@[127.0.0.1]:user@outside.invalid", variants["source route"]);
        Assert.Equal("user@outside.invalid@[127.0.0.1]", variants["double at"]);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

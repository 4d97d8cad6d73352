using Mailroom.Cli;
using Mailroom.Hosting.Observability;

namespace Mailroom.Tests;

/// <summary>What <c>mailroom status</c> prints of the served certificate.</summary>
public sealed class StatusFormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static string[] Lines(StatusCertificate certificate) =>
        StatusCommand.Format(new StatusReport("1.0", 42, Now.AddDays(-1), Now, "/var/lib/mailroom", [], [], certificate, [], null)).Split('\n');

    [Fact]
    public void TheCertificatesIssuerAndDaysLeftAreShownAsCheckWordsThem()
    {
        var certificate = new StatusCertificate("CN=mail.example.org", "CN=R11, O=Let's Encrypt, C=US", "/etc/mailroom/tls/fullchain.pem", Now.AddDays(61).AddHours(5), SelfSigned: false);

        Assert.Contains("  issuer CN=R11, O=Let's Encrypt, C=US; 61 days to expiry", Lines(certificate));
    }

    [Fact]
    public void AnExpiredCertificateCountsItsDaysBelowZero()
    {
        var certificate = new StatusCertificate("CN=mail.example.org", "CN=mail.example.org", "/var/lib/mailroom/tls/cert.pem", Now.AddHours(-1), SelfSigned: true);

        string[] lines = Lines(certificate);
        Assert.Contains("  expires 2026-12-06 11:00Z, EXPIRED", lines);
        Assert.Contains("  issuer CN=mail.example.org; -1 days to expiry", lines);
    }
}

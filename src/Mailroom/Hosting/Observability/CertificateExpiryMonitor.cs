using Mailroom.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Observability;

/// <summary>
/// Warns in the log from 14 days before the served certificate expires (Let's Encrypt renews at 30 days left, so a
/// warning means renewal has been failing for two weeks), once at start, then every 12 hours, and right after each
/// SIGHUP reload (the reloader calls <see cref="Check"/>). Looking also picks up renewed files, so the warning stops
/// with the next look once certbot has renewed.
/// </summary>
internal sealed class CertificateExpiryMonitor(TlsCertificateProvider certificates, TimeProvider time, ILogger<CertificateExpiryMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan WarningPeriod = TimeSpan.FromDays(14);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(12);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            Check();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal void Check()
    {
        try
        {
            var certificate = certificates.Current;
            DateTime notAfter = certificate.NotAfter.ToUniversalTime();
            TimeSpan left = notAfter - time.GetUtcNow().UtcDateTime;
            if (left <= TimeSpan.Zero)
            {
                ObservabilityLog.CertificateExpired(logger, certificates.CertificatePath, certificate.Subject, notAfter);
            }
            else if (left <= WarningPeriod)
            {
                ObservabilityLog.CertificateExpiring(logger, certificates.CertificatePath, certificate.Subject, notAfter, (int)Math.Ceiling(left.TotalDays));
            }
        }
        catch (NetStartupException)
        {
            // The provider has already logged why the files could not be read; the current certificate stays in use.
        }
    }
}

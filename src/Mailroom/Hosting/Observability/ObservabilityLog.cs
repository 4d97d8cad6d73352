using System.Net;
using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Observability;

internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "metrics and health on http://{EndPoint}/metrics")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "the TLS certificate {File} ({Subject}) expires on {NotAfter:u}, in {Days} days: renew it (certbot renew); Mailroom serves the renewed files without a restart")]
    public static partial void CertificateExpiring(ILogger logger, string file, string subject, DateTime notAfter, int days);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "the TLS certificate {File} ({Subject}) expired on {NotAfter:u}: clients that check certificates refuse it; renew it (certbot renew)")]
    public static partial void CertificateExpired(ILogger logger, string file, string subject, DateTime notAfter);
}

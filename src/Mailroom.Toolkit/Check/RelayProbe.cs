using System.Net;
using System.Net.Sockets;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// Open-relay test: unauthenticated RCPTs to an outside address, in the classic disguises relay checkers
/// use. Each attempt ends with RSET after RCPT: DATA is never sent, so no mail can leave.
/// </summary>
internal static class RelayProbe
{
    public static IReadOnlyList<(string Name, string Address)> Variants(string host, string outside)
    {
        int at = outside.LastIndexOf('@');
        string user = outside[..at];
        string domain = outside[(at + 1)..];

        // An IP target is written as an address literal (RFC 5321 §4.1.3).
        string local = IPAddress.TryParse(host, out IPAddress? ip)
            ? (ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{ip}]" : $"[{ip}]")
            : host;
        return
        [
            ("plain", $"{user}@{domain}"),
            ("percent hack", $"{user}%{domain}@{local}"),
            ("bang path", $"{domain}!{user}@{local}"),
            ("quoted local part", $"\"{user}@{domain}\"@{local}"),
            ("source route", $"@{local}:{user}@{domain}"),
            ("double at", $"{user}@{domain}@{local}"),
        ];
    }

    public static async Task<IReadOnlyList<CheckResult>> RunAsync(CheckSettings settings, ServiceSpec smtp, CancellationToken cancellationToken)
    {
        string target = $"{smtp.Name} {smtp.Port}";
        var results = new List<CheckResult>();
        try
        {
            await using ProbeConnection connection = await ProbeConnection.ConnectAsync(settings.Host, smtp.Port, settings.Timeout, settings.Trace, target, cancellationToken).ConfigureAwait(false);
            if (smtp.ImplicitTls)
            {
                await connection.StartTlsAsync().ConfigureAwait(false);
            }

            (int greeting, _) = await connection.ReadSmtpReplyAsync().ConfigureAwait(false);
            (int ehlo, _) = await connection.SmtpAsync($"EHLO {settings.HeloName}").ConfigureAwait(false);
            if (greeting != 220 || ehlo != 250)
            {
                return [new CheckResult("open relay", target, CheckStatus.Warn, $"not tested: greeting {greeting}, EHLO {ehlo}")];
            }

            string? trustedBecause = settings.UntrustedSource ? null : LocalSource.WhyProbablyTrusted(connection.LocalEndPoint?.Address);
            foreach ((string name, string address) in Variants(settings.Host, settings.RelayTo))
            {
                (int mail, IReadOnlyList<string> mailText) = await connection.SmtpAsync($"MAIL FROM:<{settings.From}>").ConfigureAwait(false);
                if (mail != 250)
                {
                    results.Add(new CheckResult("open relay", target, CheckStatus.Warn, $"{name}: not tested, MAIL FROM refused: {mail} {mailText[0]}"));
                    continue;
                }

                (int rcpt, IReadOnlyList<string> rcptText) = await connection.SmtpAsync($"RCPT TO:<{address}>").ConfigureAwait(false);
                await connection.SmtpAsync("RSET").ConfigureAwait(false);
                results.Add(rcpt is >= 200 and < 400
                    ? trustedBecause is null
                        ? new CheckResult("open relay", target, CheckStatus.Fail, $"{name}: RCPT TO:<{address}> accepted without authentication: {rcpt} {rcptText[0]}")
                        : new CheckResult("open relay", target, CheckStatus.Warn, $"{name}: accepted ({rcpt}), but {trustedBecause}")
                    : new CheckResult("open relay", target, CheckStatus.Pass, $"{name}: RCPT TO:<{address}> refused: {rcpt} {rcptText[0]}"));
            }

            await connection.WriteLineAsync("QUIT").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            results.Add(new CheckResult("open relay", target, CheckStatus.Warn, $"not completed: {ServiceProbe.Describe(ex)}"));
        }

        return results;
    }
}

using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mailroom.Toolkit.Check;

/// <summary>Submission: AUTH is not offered before TLS, and with the given credentials it succeeds after it.</summary>
internal static class SubmissionProbe
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(CheckSettings settings, ServiceSpec service, CancellationToken cancellationToken)
    {
        string target = $"{service.Name} {service.Port}";
        var results = new List<CheckResult>();
        try
        {
            await using ProbeConnection connection = await ProbeConnection.ConnectAsync(settings.Host, service.Port, settings.Timeout, settings.Trace, target, cancellationToken).ConfigureAwait(false);
            if (service.ImplicitTls)
            {
                await connection.StartTlsAsync().ConfigureAwait(false);
            }

            await connection.ReadSmtpReplyAsync().ConfigureAwait(false);
            (_, IReadOnlyList<string> ehlo) = await connection.SmtpAsync($"EHLO {settings.HeloName}").ConfigureAwait(false);
            if (!service.ImplicitTls)
            {
                bool authInClear = ehlo.Skip(1).Any(e => e.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
                results.Add(new CheckResult("submission", target, authInClear ? CheckStatus.Fail : CheckStatus.Pass,
                    authInClear ? "AUTH offered before TLS: passwords can cross the network in clear" : "AUTH not offered before TLS"));
                (int tls, _) = await connection.SmtpAsync("STARTTLS").ConfigureAwait(false);
                if (tls != 220)
                {
                    results.Add(new CheckResult("submission", target, CheckStatus.Fail, $"STARTTLS refused ({tls}); AUTH not tested"));
                    return results;
                }

                await connection.StartTlsAsync().ConfigureAwait(false);
                (_, ehlo) = await connection.SmtpAsync($"EHLO {settings.HeloName}").ConfigureAwait(false);
            }

            if (settings.User is null || settings.Password is null)
            {
                return results;
            }

            // RFC 4616 PLAIN: authzid NUL authcid NUL password; safe here because TLS is up.
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{settings.User}\0{settings.Password}"));
            (int auth, IReadOnlyList<string> authText) = await connection.SmtpAsync($"AUTH PLAIN {token}").ConfigureAwait(false);
            results.Add(auth == 235
                ? new CheckResult("submission", target, CheckStatus.Pass, $"AUTH PLAIN after TLS accepted for {settings.User}")
                : new CheckResult("submission", target, CheckStatus.Fail, $"AUTH PLAIN after TLS refused: {auth} {authText[0]}"));
            await connection.WriteLineAsync("QUIT").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            results.Add(new CheckResult("submission", target, CheckStatus.Fail, ServiceProbe.Describe(ex)));
        }

        return results;
    }
}

using System.Net.Sockets;
using System.Security.Authentication;

namespace Mailroom.Toolkit.Check;

/// <summary>Connectivity and TLS of one service: greeting, capabilities, STARTTLS/STLS or implicit TLS.</summary>
internal static class ServiceProbe
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(CheckSettings settings, ServiceSpec service, TimeProvider time, CancellationToken cancellationToken)
    {
        string target = $"{service.Name} {service.Port}";
        var results = new List<CheckResult>();
        try
        {
            await using ProbeConnection connection = await ProbeConnection.ConnectAsync(settings.Host, service.Port, settings.Timeout, settings.Trace, target, cancellationToken).ConfigureAwait(false);
            if (service.ImplicitTls)
            {
                if (!await TryTlsAsync(connection, settings, target, results, time).ConfigureAwait(false))
                {
                    return results;
                }
            }

            (CheckStatus status, string reason, bool startTls) = service.Protocol switch
            {
                ServiceProtocol.Smtp => await SmtpAsync(connection, settings).ConfigureAwait(false),
                ServiceProtocol.Pop3 => await Pop3Async(connection).ConfigureAwait(false),
                _ => await ImapAsync(connection).ConfigureAwait(false),
            };
            results.Insert(0, new CheckResult("connect", target, status, reason));
            if (!service.ImplicitTls && status != CheckStatus.Fail)
            {
                if (startTls)
                {
                    await TryTlsAsync(connection, settings, target, results, time).ConfigureAwait(false);
                }
                else
                {
                    results.Add(new CheckResult("tls", target, CheckStatus.Fail, "STARTTLS not offered: credentials and mail would cross the network in clear"));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            results.Insert(0, new CheckResult("connect", target, CheckStatus.Fail, Describe(ex)));
        }

        return results;
    }

    internal static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        SocketException s => s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message,
        _ => ex.Message,
    };

    private static async Task<bool> TryTlsAsync(ProbeConnection connection, CheckSettings settings, string target, List<CheckResult> results, TimeProvider time)
    {
        try
        {
            await connection.StartTlsAsync().ConfigureAwait(false);
            results.Add(TlsEvaluator.Evaluate(target, connection.Tls!, time.GetUtcNow(), settings.ExpiryWarningDays));
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            results.Add(new CheckResult("tls", target, CheckStatus.Fail, $"handshake failed: {Describe(ex)}"));
            return false;
        }
    }

    private static async Task<(CheckStatus, string, bool)> SmtpAsync(ProbeConnection connection, CheckSettings settings)
    {
        (int code, IReadOnlyList<string> banner) = await connection.ReadSmtpReplyAsync().ConfigureAwait(false);
        if (code != 220)
        {
            return (CheckStatus.Fail, $"greeting {code} {banner[0]}", false);
        }

        (int ehloCode, IReadOnlyList<string> ehlo) = await connection.SmtpAsync($"EHLO {settings.HeloName}").ConfigureAwait(false);
        if (ehloCode != 250)
        {
            return (CheckStatus.Fail, $"banner \"{banner[0]}\"; EHLO refused: {ehloCode}", false);
        }

        string[] extensions = [.. ehlo.Skip(1)];
        bool startTls = extensions.Any(e => e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (startTls)
        {
            (int tlsCode, IReadOnlyList<string> tlsLines) = await connection.SmtpAsync("STARTTLS").ConfigureAwait(false);
            if (tlsCode != 220)
            {
                return (CheckStatus.Fail, $"STARTTLS offered but refused: {tlsCode} {tlsLines[0]}", false);
            }
        }

        return (CheckStatus.Pass, $"banner \"{banner[0]}\"; EHLO: {string.Join(", ", extensions)}", startTls);
    }

    private static async Task<(CheckStatus, string, bool)> Pop3Async(ProbeConnection connection)
    {
        string greeting = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!greeting.StartsWith("+OK", StringComparison.Ordinal))
        {
            return (CheckStatus.Fail, $"greeting \"{greeting}\"", false);
        }

        // RFC 2449 CAPA: a multi-line list ending with ".".
        await connection.WriteLineAsync("CAPA").ConfigureAwait(false);
        var capabilities = new List<string>();
        string first = await connection.ReadLineAsync().ConfigureAwait(false);
        if (first.StartsWith("+OK", StringComparison.Ordinal))
        {
            for (int i = 0; i < 100; i++)
            {
                string line = await connection.ReadLineAsync().ConfigureAwait(false);
                if (line == ".")
                {
                    break;
                }

                capabilities.Add(line);
            }
        }

        bool stls = capabilities.Any(c => c.Equals("STLS", StringComparison.OrdinalIgnoreCase));
        if (stls)
        {
            await connection.WriteLineAsync("STLS").ConfigureAwait(false);
            string reply = await connection.ReadLineAsync().ConfigureAwait(false);
            if (!reply.StartsWith("+OK", StringComparison.Ordinal))
            {
                return (CheckStatus.Fail, $"STLS offered but refused: {reply}", false);
            }
        }

        return (CheckStatus.Pass, $"greeting \"{greeting}\"; CAPA: {string.Join(", ", capabilities)}", stls);
    }

    private static async Task<(CheckStatus, string, bool)> ImapAsync(ProbeConnection connection)
    {
        string greeting = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase))
        {
            return (CheckStatus.Fail, $"greeting \"{greeting}\"", false);
        }

        await connection.WriteLineAsync("c1 CAPABILITY").ConfigureAwait(false);
        string capabilities = string.Empty;
        for (int i = 0; i < 100; i++)
        {
            string line = await connection.ReadLineAsync().ConfigureAwait(false);
            if (line.StartsWith("* CAPABILITY ", StringComparison.OrdinalIgnoreCase))
            {
                capabilities = line[13..];
            }
            else if (line.StartsWith("c1 ", StringComparison.Ordinal))
            {
                break;
            }
        }

        bool startTls = capabilities.Split(' ').Any(c => c.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (startTls)
        {
            await connection.WriteLineAsync("c2 STARTTLS").ConfigureAwait(false);
            string reply = await connection.ReadLineAsync().ConfigureAwait(false);
            if (!reply.StartsWith("c2 OK", StringComparison.OrdinalIgnoreCase))
            {
                return (CheckStatus.Fail, $"STARTTLS offered but refused: {reply}", false);
            }
        }

        return (CheckStatus.Pass, $"greeting \"{greeting}\"; CAPABILITY {capabilities}", startTls);
    }
}

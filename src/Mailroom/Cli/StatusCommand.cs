using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Mailroom.Hosting.Observability;
using Mailroom.Toolkit.Check;

namespace Mailroom.Cli;

/// <summary>
/// <c>mailroom status</c>: one screen from the running server, read over its control socket in the data directory
/// (uptime, listeners and their sessions, the queue by state, the certificate's issuer and expiry, the last warnings and errors).
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON, for scripts." };
        var command = new Command("status", "Show the running server: uptime, listeners and sessions, queue by state, certificate expiry, recent errors.") { json };
        command.SetAction((result, cancellationToken) => CommandLine.RunAsync(() => RunAsync(result, result.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, bool json, CancellationToken cancellationToken)
    {
        string dataDirectory = GlobalOptions.Paths(result).Root;
        string text = await FetchAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await Console.Out.WriteLineAsync(text).ConfigureAwait(false);
            return 0;
        }

        StatusReport report = JsonSerializer.Deserialize(text, StatusJsonContext.Default.StatusReport)
            ?? throw new CliException("the server's status report was empty");
        await Console.Out.WriteAsync(Format(report)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<string> FetchAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        string socketPath = ServerFacts.ControlSocketPath(dataDirectory);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            // The host name is never resolved: the connection goes to the socket.
            return await client.GetStringAsync(new Uri("http://mailroom/control/status"), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or null)
        {
            throw new CliException($"no server answers on {socketPath}: is `mailroom serve` running on the data directory {dataDirectory}? ({ex.Message})", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the server did not answer on {socketPath} within {Timeout.TotalSeconds} s", ex);
        }
    }

    internal static string Format(StatusReport report)
    {
        var text = new StringBuilder();
        var writer = new StringWriter(text, CultureInfo.InvariantCulture);
        writer.WriteLine($"mailroom {report.Version}, pid {report.ProcessId}, up {Duration(report.Now - report.Started)} (since {report.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)");
        writer.WriteLine($"data directory {report.DataDirectory}");
        writer.WriteLine(report.MetricsEndpoint is null ? "metrics off (Metrics:Listen is empty)" : $"metrics http://{report.MetricsEndpoint}/metrics");
        writer.WriteLine();
        TextTable.Write(writer, ["service", "listening on", "sessions"], report.Listeners.Select(l => new[]
        {
            l.Name,
            l.EndPoints.Count == 0 ? "disabled" : string.Join(' ', l.EndPoints),
            l.Sessions.ToString(CultureInfo.InvariantCulture),
        }));
        writer.WriteLine();
        TextTable.Write(writer, ["queue", "messages", "oldest"], report.Queue.Select(q => new[]
        {
            q.State,
            q.Messages.ToString(CultureInfo.InvariantCulture),
            q.Messages == 0 ? "-" : Duration(TimeSpan.FromSeconds(q.OldestAgeSeconds)),
        }));
        writer.WriteLine();
        if (report.Certificate is { } certificate)
        {
            TimeSpan left = certificate.NotAfter - report.Now;
            string when = left <= TimeSpan.Zero ? "EXPIRED" : $"in {Duration(left)}";
            writer.WriteLine($"certificate {certificate.Subject}{(certificate.SelfSigned ? " (self-signed)" : "")}, {certificate.File}");
            writer.WriteLine($"  expires {certificate.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm}Z, {when}");
            writer.WriteLine($"  {CertificateValidity.Describe(certificate.Issuer, certificate.NotAfter, report.Now)}");
        }
        else
        {
            writer.WriteLine("certificate: none could be read (see the recent errors)");
        }

        writer.WriteLine();
        if (report.RecentErrors.Count == 0)
        {
            writer.WriteLine("recent errors: none");
        }
        else
        {
            writer.WriteLine("recent errors (newest last):");
            foreach (var error in report.RecentErrors)
            {
                writer.WriteLine($"  {error.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {error.Level.ToLowerInvariant()} {error.Category}: {error.Message}");
            }
        }

        return text.ToString();
    }

    /// <summary>The two largest units: <c>3d 4h</c>, <c>2h 5m</c>, <c>4m 10s</c>, <c>9s</c>.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.Seconds}s";
    }
}

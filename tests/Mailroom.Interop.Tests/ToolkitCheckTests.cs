using System.Globalization;
using System.Text.Json;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary><c>mailroom check</c> against a correctly set-up Mailroom: the whole validation plan and no FAIL.</summary>
public sealed class ToolkitCheckTests : IAsyncLifetime
{
    private const string Samt = "samt@example.org";
    private MailroomServer? _server;

    public async ValueTask InitializeAsync()
    {
        // From this vantage point (loopback) nobody is trusted, as for a probe from the outside: relaying needs AUTH.
        _server = await MailroomServer.StartAsync(["Smtp:TrustedNetworks="], async server =>
        {
            await server.AddDomainAsync("example.org");
            await server.AddUserAsync(Samt);
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task CheckOfACorrectMailroomHasNoFailure()
    {
        MailroomServer server = _server!;
        string[] services = ["smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps"];
        string ports = string.Join(',', services.Select(s => server.Port(s).ToString(CultureInfo.InvariantCulture)));
        List<string> arguments = ["check", "127.0.0.1", "--to", Samt, "--user", Samt, "--pass", MailroomServer.Password,
            "--log", server.MaillogPath, "--scan-ports", ports, "--json"];
        foreach (string service in services)
        {
            arguments.Add($"--{service}-port");
            arguments.Add(server.Port(service).ToString(CultureInfo.InvariantCulture));
        }

        ProcessResult result = await MailroomServer.RunCliAsync(arguments);

        Assert.True(result.ExitCode == 0, $"check reported a failure: {result}");
        using JsonDocument report = JsonDocument.Parse(result.StandardOutput);
        string text = report.RootElement.GetRawText();
        Assert.DoesNotContain("\"FAIL\"", text, StringComparison.OrdinalIgnoreCase);
        // The plan really ran: relay probes, the round trip and the log check all reported.
        Assert.Contains("relay", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("round trip", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("IMAP", text, StringComparison.Ordinal);
        Assert.Contains("status=sent", text, StringComparison.OrdinalIgnoreCase);
    }
}

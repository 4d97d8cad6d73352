using Mailroom.Directory;
using Mailroom.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mailroom.Hosting.Observability;

/// <summary>
/// <c>/health/ready</c>: the server can take and deliver mail now. Each part is one entry of the report: listeners
/// accepting, the directory answering a lookup, the queue directory writable, free space above
/// <c>Queue:MinFreeSpace</c> (the floor below which MAIL is refused with 452).
/// </summary>
internal sealed class ReadinessCheck(MailListenerHost listeners, IMailDirectory directory, ServerFacts facts) : IHealthCheck
{
    // A lookup of a name that cannot be a domain here (RFC 2606 .invalid): it exercises the database, never a cache hit.
    private const string ProbeDomain = "health-check.invalid";
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!listeners.IsAccepting)
        {
            problems.Add("listeners: not accepting");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(DirectoryTimeout);
            await directory.IsLocalDomainAsync(ProbeDomain, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DirectoryUnavailableException or OperationCanceledException)
        {
            problems.Add($"directory: {ex.Message}");
        }

        string probe = Path.Combine(facts.QueueDirectory, $".ready-{Environment.ProcessId}");
        try
        {
            await File.WriteAllBytesAsync(probe, [], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"queue: {facts.QueueDirectory} is not writable: {ex.Message}");
        }

        long free = ServerGauges.FreeBytes(facts.QueueDirectory);
        if (free < facts.MinFreeSpace)
        {
            problems.Add($"disk: {free} bytes free where the queue is, below Queue:MinFreeSpace ({facts.MinFreeSpace})");
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("listeners accepting, directory answering, queue writable, free space above the floor")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }
}

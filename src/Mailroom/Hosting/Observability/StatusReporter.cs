using Mailroom.Net;
using Mailroom.Queue.Admin;

namespace Mailroom.Hosting.Observability;

/// <summary>Assembles the <see cref="StatusReport"/> from the running server's parts.</summary>
internal sealed class StatusReporter(
    ServerFacts facts,
    MailListenerHost listeners,
    IEnumerable<ListenerBinding> bindings,
    TlsCertificateProvider certificates,
    RecentErrors errors,
    TimeProvider time)
{
    public string? MetricsEndpoint { get; set; }

    public StatusReport Build()
    {
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyDictionary<string, int> sessions = listeners.SessionsByListener();
        StatusListener[] listenerRows = [.. bindings.Select(b => new StatusListener(
            b.Name,
            [.. listeners.GetBoundEndPoints(b.Name).Select(e => e.ToString())],
            sessions.GetValueOrDefault(b.Name)))];
        StatusQueueState[] queue = [.. QueueStatistics.Read(facts.QueueDirectory, now).Select(s => new StatusQueueState(s.State, s.Messages, s.OldestAge.TotalSeconds))];
        StatusCertificate? certificate = null;
        try
        {
            var current = certificates.Current;
            certificate = new StatusCertificate(current.Subject, current.Issuer, certificates.CertificatePath, new DateTimeOffset(current.NotAfter.ToUniversalTime()), certificates.IsSelfSigned);
        }
        catch (NetStartupException)
        {
            // Reported as missing: the recent errors say why.
        }

        return new StatusReport(facts.Version, Environment.ProcessId, facts.Started, now, facts.DataDirectory, listenerRows, queue, certificate, errors.Snapshot(), MetricsEndpoint);
    }
}
